import { Annotations, Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventbridge from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { refundProviderOf, type StageConfig } from '../config';
import type { MallApi } from './mall-api';
import type { MallEvents } from './mall-events';
import { functionFactory, type ServiceFunction } from './service-function';

/**
 * Payments (go-zero-mall's pay service): the saga creates and closes an order's payment record;
 * the API returns it, shows it, and takes the provider's outcome, publishing PaymentSucceeded.
 */
export class PaymentService extends Construct {
  readonly createPayment: ServiceFunction;
  readonly closePayment: ServiceFunction;
  /** Internal: closes an order's payment unless it was paid (the order service asks it first). */
  readonly closeForOrder: ServiceFunction;
  /** Internal: refunds an order's payment (the order service's approved after-sale refunds). */
  readonly refundForOrder: ServiceFunction;
  /** The sandbox payment provider (sandbox mode only), a function so the local cloud can make it fail. */
  private readonly sandboxProvider?: ServiceFunction;
  private readonly fn: ReturnType<typeof functionFactory>;
  private readonly grant: (f: ServiceFunction, actions: string[], indexes?: string[]) => void;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: StageConfig,
    table: dynamodb.ITable,
  ) {
    super(scope, id);
    this.fn = functionFactory(this, 'pay', config, { PAYMENT_TABLE: table.tableName });
    this.grant = (f, actions, indexes) => f.grantTable(table, actions, indexes);

    const createPayment = this.fn('saga/create-payment');
    this.grant(createPayment, ['GetItem', 'PutItem']);
    this.createPayment = createPayment;

    // The provider refunds go to (payment-provider.ts): the sandbox in sandbox mode, else none yet.
    if (refundProviderOf(config) === 'sandbox') {
      this.sandboxProvider = this.fn('provider/sandbox-refund');
      this.grant(this.sandboxProvider, ['GetItem', 'PutItem']);
    }

    // ClosePayment refunds a paid payment: it asks for the refund, calls the provider and publishes Refunded.
    const closePayment = this.fn('saga/close-payment', { environment: this.providerEnv() });
    this.grant(closePayment, ['GetItem', 'UpdateItem', 'PutItem']);
    this.useProvider(closePayment);
    this.closePayment = closePayment;

    const closeForOrder = this.fn('internal/close-for-order');
    this.grant(closeForOrder, ['GetItem', 'UpdateItem']);
    this.closeForOrder = closeForOrder;

    // Asks for the refund, calls the provider and publishes Refunded, like ClosePayment.
    const refundForOrder = this.fn('internal/refund-for-order', { environment: this.providerEnv() });
    this.grant(refundForOrder, ['GetItem', 'UpdateItem', 'PutItem']);
    this.useProvider(refundForOrder);
    this.refundForOrder = refundForOrder;
  }

  /** The pay API; it asks the order service (`orderGet`) about the order being paid. */
  addApi({
    api,
    orderGet,
    events,
    providerKey,
  }: {
    api: MallApi;
    orderGet: ServiceFunction;
    events: MallEvents;
    providerKey: secretsmanager.ISecret;
  }): void {
    const { fn, grant, config } = this;
    const create = fn('api/create', {
      environment: { ORDER_GET_FUNCTION: orderGet.literalName, PAY_ORDER_WAIT_MS: String(config.payOrderWaitMs) },
    });
    grant(create, ['GetItem', 'PutItem']);
    create.grantInvokeOf(orderGet);
    api.route(create);

    const detail = fn('api/detail');
    grant(detail, ['GetItem', 'Query']); // Query: the payment's refunds
    api.route(detail);

    const bus = { EVENT_BUS_NAME: events.bus.eventBusName };
    const callback = fn('api/callback', { environment: { ...bus, PAY_SANDBOX: String(config.paymentSandbox) } });
    grant(callback, ['GetItem', 'UpdateItem', 'PutItem']);
    events.grantPublish(callback);
    api.route(callback);
    if (config.paymentSandbox)
      Annotations.of(callback).addWarningV2(
        'mall:payment-sandbox',
        `MALL_PAY_SANDBOX is on for stage "${config.stage}": any logged-in user can mark their own order paid without paying`,
      );

    // The provider's HMAC key (data stack), shared with the provider out of band.
    const notify = fn('api/notify', { environment: { ...bus, PAY_CALLBACK_SECRET_ARN: providerKey.secretArn } });
    grant(notify, ['GetItem', 'UpdateItem', 'PutItem']);
    events.grantPublish(notify);
    providerKey.grantRead(notify);
    api.route(notify);

    // Admin: refunds flagged after the retry bound, and their re-queue (refund-service.ts).
    const flagged = fn('api/refunds-flagged');
    grant(flagged, ['Query'], ['ByOutbox']);
    api.route(flagged);
    const requeue = fn('api/refund-requeue');
    grant(requeue, ['GetItem', 'UpdateItem']);
    api.route(requeue);
  }

  /**
   * The outbox relay: every few minutes, PaymentSucceeded events that never reached the bus are
   * published again, and unfinished refunds are tried again.
   */
  addOutboxRelay(events: MallEvents): void {
    const { fn, grant, config } = this;
    const relay = fn('schedule/relay-events', {
      environment: {
        EVENT_BUS_NAME: events.bus.eventBusName,
        OUTBOX_GRACE_SECONDS: String(config.outboxRelay.graceSeconds),
        REFUND_MAX_ATTEMPTS: String(config.refundRetry.maxAttempts),
        REFUND_RETRY_BASE_SECONDS: String(config.refundRetry.baseDelaySeconds),
        REFUND_RETRY_MAX_SECONDS: String(config.refundRetry.maxDelaySeconds),
        ...this.providerEnv(),
      },
      timeout: Duration.seconds(60),
    });
    grant(relay, ['Query', 'GetItem', 'UpdateItem'], ['ByOutbox']);
    events.grantPublish(relay);
    this.useProvider(relay);
    // ClosePayment and the order's refund publish Refunded; the bus is known only now.
    for (const f of [this.closePayment, this.refundForOrder]) {
      f.addEnvironment('EVENT_BUS_NAME', events.bus.eventBusName);
      events.grantPublish(f);
    }
    new eventbridge.Rule(this, 'RelaySchedule', {
      schedule: eventbridge.Schedule.rate(Duration.minutes(config.outboxRelay.everyMinutes)),
      targets: [new targets.LambdaFunction(relay)],
    });
  }

  /** Which provider refunds go to (PAY_PROVIDER), read by payment-provider.ts. */
  private providerEnv(): Record<string, string> {
    return this.sandboxProvider
      ? { PAY_PROVIDER: 'sandbox', SANDBOX_PROVIDER_FUNCTION: this.sandboxProvider.literalName }
      : { PAY_PROVIDER: 'none' };
  }

  /** May call the provider: invoke the sandbox's function (a real provider's adapter would need its key instead). */
  private useProvider(f: ServiceFunction): void {
    if (this.sandboxProvider) f.grantInvokeOf(this.sandboxProvider);
  }
}
