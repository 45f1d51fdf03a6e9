import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eventbridge from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { paymentSucceeded, refunded } from '../../shared/events';
import { refundProviderOf, type StageConfig } from '../config';
import type { MallApi } from './mall-api';
import type { MallEvents } from './mall-events';
import { OrderSaga, type SagaParticipants, sagaNameOf } from './order-saga';
import { functionFactory, nagArn, type ServiceFunction } from './service-function';

export interface OrderServiceProps {
  api: MallApi;
  config: StageConfig;
  table: dynamodb.ITable;
  /** The other services' saga steps. */
  participants: Omit<SagaParticipants, 'openOrder' | 'markAwaitingPayment' | 'cancelOrder'>;
  /** Services the order asks while pricing. */
  catalogBatchGet: ServiceFunction;
  /** The user service's internal address lookup: create copies the order's address. */
  addressLookup: ServiceFunction;
  couponQuote: ServiceFunction;
  /** The payment service's close, asked before an order is closed. */
  paymentCloseForOrder: ServiceFunction;
  /** The payment service's refund of an order, asked when an after-sale refund is approved. */
  paymentRefundForOrder: ServiceFunction;
  events: MallEvents;
}

/** Orders: the API, the order's own saga steps, the saga itself, and the sweeper that repairs stuck orders. */
export class OrderService extends Construct {
  readonly saga: OrderSaga;
  /** Internal: an order's owner, amount and state, for the payment service. */
  readonly get: ServiceFunction;

  constructor(
    scope: Construct,
    id: string,
    {
      api,
      config,
      table,
      participants,
      catalogBatchGet,
      couponQuote,
      paymentCloseForOrder,
      paymentRefundForOrder,
      events,
      addressLookup,
    }: OrderServiceProps,
  ) {
    super(scope, id);

    const fn = functionFactory(this, 'order', config, { ORDER_TABLE: table.tableName });

    const openOrder = fn('saga/open-order');
    openOrder.grantTable(table, ['GetItem']);
    const markAwaitingPayment = fn('saga/mark-awaiting-payment', {
      environment: {
        PAYMENT_TIMEOUT_SECONDS: String(config.paymentTimeoutMinutes * 60),
        FLASH_SALE_PAYMENT_TIMEOUT_SECONDS: String(config.orderLimits.flashSalePaymentMinutes * 60),
      },
    });
    markAwaitingPayment.grantTable(table, ['GetItem', 'UpdateItem']);
    const cancelOrder = fn('saga/cancel-order');
    cancelOrder.grantTable(table, ['UpdateItem', 'PutItem']);

    this.saga = new OrderSaga(this, 'Saga', { config, steps: { ...participants, openOrder, markAwaitingPayment, cancelOrder } });
    const stateMachine = this.saga.stateMachine;
    // Execution names are per order, so calls on executions name the saga's with a wildcard.
    const executions = `execution:${sagaNameOf(config)}:*`;
    const grantOnExecutions = (f: ServiceFunction, action: string, reason: string) => {
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [action],
          resources: [Stack.of(this).formatArn({ service: 'states', resource: executions, arnFormat: ArnFormat.NO_RESOURCE_NAME })],
        }),
      );
      Validations.of(f.role!).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this), 'states', executions)}]`, reason });
    };

    const apiEnv = {
      environment: {
        ORDER_SAGA_ARN: stateMachine.stateMachineArn,
        ORDER_SAGA_TYPE: config.sagaWorkflow,
        CATALOG_BATCH_GET_FUNCTION: catalogBatchGet.literalName,
        COUPON_QUOTE_FUNCTION: couponQuote.literalName,
        PAY_CLOSE_FUNCTION: paymentCloseForOrder.literalName,
        ORDER_MAX_OPEN_PER_USER: String(config.orderLimits.maxOpenPerUser),
        ORDER_MAX_UNITS_PER_PRODUCT: String(config.orderLimits.maxUnitsPerProduct),
        ORDER_MAX_LINES: String(config.orderLimits.maxLines),
        ORDER_MAX_UNITS: String(config.orderLimits.maxUnits),
      },
    };

    const create = fn('api/create', {
      environment: {
        ...apiEnv.environment,
        ORDER_CREATE_WAIT_MS: String(config.orderCreateWaitMs),
        USER_ADDRESS_FUNCTION: addressLookup.literalName,
      },
    });
    create.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem', 'BatchGetItem']);
    create.grantInvokeOf(catalogBatchGet);
    create.grantInvokeOf(couponQuote);
    create.grantInvokeOf(addressLookup);
    stateMachine.grantStartExecution(create);
    api.route(create);

    const detail = fn('api/detail', apiEnv);
    detail.grantTable(table, ['GetItem']);
    api.route(detail);

    const list = fn('api/list', apiEnv);
    list.grantTable(table, ['Query'], ['ByUser']);
    api.route(list);

    // Whether a paid order can be refunded at all (PAY_PROVIDER, as the payment service's).
    const refunds = { PAY_PROVIDER: refundProviderOf(config) };
    const cancel = fn('api/cancel', { environment: { ...apiEnv.environment, ...refunds } });
    cancel.grantTable(table, ['GetItem', 'UpdateItem']);
    stateMachine.grantStartExecution(cancel);
    cancel.grantInvokeOf(paymentCloseForOrder);
    api.route(cancel);

    const update = fn('api/update', apiEnv);
    update.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(update);

    const stuck = fn('api/stuck', {
      environment: {
        ORDER_SAGA_ARN: stateMachine.stateMachineArn,
        ORDER_SAGA_TYPE: config.sagaWorkflow,
        COMPENSATION_STUCK_SECONDS: String(config.compensationAlarmMinutes * 60),
      },
    });
    stuck.grantTable(table, ['Query'], ['ByOpen']);
    grantOnExecutions(
      stuck,
      'states:GetExecutionHistory',
      'The stuck-orders route reads the history (last error) of executions of the order saga only; execution names are per order.',
    );
    api.route(stuck);

    const remove = fn('api/remove', apiEnv);
    remove.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(remove);

    // Fulfilment (issue 12): shipping to completion, and the lists by state (ByState; the caller's on ByUser).
    const ship = fn('api/ship');
    ship.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(ship);
    const receive = fn('api/receive');
    receive.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(receive);
    const myOrders = fn('api/my-orders');
    myOrders.grantTable(table, ['Query'], ['ByUser']);
    api.route(myOrders);
    const adminList = fn('api/admin-list');
    adminList.grantTable(table, ['Query'], ['ByState']);
    api.route(adminList);

    // After-sale (issue 12): the buyer asks within the return window; an admin approves (a refund,
    // or a return through the saga's cancel run) or rejects.
    const returnWindow = { RETURN_WINDOW_DAYS: String(config.fulfilment.returnWindowDays) };
    const refund = fn('api/refund', { environment: returnWindow });
    refund.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(refund);
    const refundApprove = fn('api/refund-approve', {
      environment: {
        ORDER_SAGA_ARN: stateMachine.stateMachineArn,
        ORDER_SAGA_TYPE: config.sagaWorkflow,
        PAY_REFUND_FUNCTION: paymentRefundForOrder.literalName,
        ...refunds,
      },
    });
    refundApprove.grantTable(table, ['GetItem', 'UpdateItem']);
    refundApprove.grantInvokeOf(paymentRefundForOrder);
    stateMachine.grantStartExecution(refundApprove);
    api.route(refundApprove);
    const refundReject = fn('api/refund-reject');
    refundReject.grantTable(table, ['GetItem', 'UpdateItem']);
    api.route(refundReject);

    const sweep = fn('schedule/sweep', {
      environment: {
        ...apiEnv.environment,
        OPEN_ORDER_BOUND_SECONDS: String(config.openOrderBoundSeconds),
        SWEEP_CONCURRENCY: String(config.sweep.concurrency),
        AUTO_RECEIVE_DAYS: String(config.fulfilment.autoReceiveDays),
        ...returnWindow,
        PAY_REFUND_FUNCTION: paymentRefundForOrder.literalName,
      },
      timeout: Duration.seconds(config.sweep.timeoutSeconds),
    });
    // GetItem: marking an order paid itself reads the order when its transition is refused.
    sweep.grantTable(table, ['Query', 'GetItem', 'UpdateItem'], ['ByOpen', 'ByPayDue', 'ByState']);
    sweep.grantInvokeOf(paymentCloseForOrder);
    sweep.grantInvokeOf(paymentRefundForOrder); // finishes an after-sale approval that stopped midway
    stateMachine.grantStartExecution(sweep);
    grantOnExecutions(
      sweep,
      'states:DescribeExecution',
      'The sweeper describes executions of the order saga only; execution names are per order.',
    );
    const get = fn('internal/get');
    get.grantTable(table, ['GetItem']);
    this.get = get;

    const onPaymentSucceeded = fn('events/on-payment-succeeded');
    onPaymentSucceeded.grantTable(table, ['GetItem', 'UpdateItem']);
    events.subscribe(this, 'OrderPaid', paymentSucceeded, onPaymentSucceeded);

    // Refunds (issue 12): the order records what of its payment is back.
    const onRefunded = fn('events/on-refunded');
    onRefunded.grantTable(table, ['GetItem', 'UpdateItem']);
    events.subscribe(this, 'OrderRefunded', refunded, onRefunded);

    new eventbridge.Rule(this, 'SweepSchedule', {
      schedule: eventbridge.Schedule.rate(Duration.minutes(config.sweepEveryMinutes)),
      targets: [new targets.LambdaFunction(sweep)],
    });
  }
}
