import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { nagArn, ServiceFunction } from './service-function';

/** The state machine's name: known before deploy, so the dashboard in another stack can name it. */
export const sagaNameOf = (config: StageConfig) => `serverless-mall-${config.stage}-order-saga`;

/** Each participant's Lambda, owned by its service. */
export interface SagaParticipants {
  openOrder: ServiceFunction;
  reserveStock: ServiceFunction;
  useCoupon: ServiceFunction;
  createPayment: ServiceFunction;
  markAwaitingPayment: ServiceFunction;
  removeFromCart: ServiceFunction;
  closePayment: ServiceFunction;
  restoreCoupon: ServiceFunction;
  releaseStock: ServiceFunction;
  cancelOrder: ServiceFunction;
}

/** Transient errors: backoff with jitter, long enough (about 10 minutes) to ride out a participant being down. */
const ACTION_RETRY: sfn.RetryProps = {
  errors: ['States.ALL'],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxDelay: Duration.seconds(60),
  maxAttempts: 15,
  jitterStrategy: sfn.JitterType.FULL,
};
/** Compensations are retried until they succeed (the largest count ASL allows, 5 minutes apart at most). */
const COMPENSATION_RETRY: sfn.RetryProps = { ...ACTION_RETRY, maxDelay: Duration.seconds(300), maxAttempts: 99_999_999 };

/**
 * The order saga, standing in for DTM: OpenOrder -> ReserveStock -> UseCoupon (with a coupon)
 * -> CreatePayment -> MarkAwaitingPayment (-> RemoveFromCart). A participant's business
 * refusal is a returned FAILURE, routed by a Choice to the compensations, never retried; only
 * thrown (transient) errors are retried. On any refusal every compensation runs, in reverse
 * order: a compensation whose action never ran is empty (the barrier), so none is skipped. Only
 * OpenOrder's refusal (the order is no longer pending) ends the run without compensating.
 * Input `action: "cancel"` runs only the compensations (user cancel, repairs).
 * Written in JSONPath without Assign, so the local cloud runs it with aws-local-stepfunctions.
 */
export class OrderSaga extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The compensations' functions: retried until they succeed, and watched by an alarm while they fail. */
  readonly compensations: ServiceFunction[];

  constructor(scope: Construct, id: string, { steps, config }: { steps: SagaParticipants; config: StageConfig }) {
    super(scope, id);
    this.compensations = [steps.closePayment, steps.restoreCoupon, steps.releaseStock, steps.cancelOrder];
    const invoke = (name: string, fn: ServiceFunction, resultKey?: string) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: ServiceFunction.referenceIn(this, fn),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: resultKey ? `$.results.${resultKey}` : sfn.JsonPath.DISCARD,
      });
    const succeeded = (key: string) => sfn.Condition.stringEquals(`$.results.${key}.outcome`, 'SUCCESS');

    // Compensations, in reverse order of the actions.
    const cancelled = new sfn.Succeed(this, 'Cancelled');
    const cancelOrder = invoke('CancelOrder', steps.cancelOrder).addRetry(COMPENSATION_RETRY).next(cancelled);
    const releaseStock = invoke('ReleaseStock', steps.releaseStock).addRetry(COMPENSATION_RETRY).next(cancelOrder);
    const restoreCoupon = invoke('RestoreCoupon', steps.restoreCoupon).addRetry(COMPENSATION_RETRY).next(releaseStock);
    const closePayment = invoke('ClosePayment', steps.closePayment)
      .addRetry(COMPENSATION_RETRY)
      .next(new sfn.Choice(this, 'CouponToRestore').when(sfn.Condition.isPresent('$.couponId'), restoreCoupon).otherwise(releaseStock));
    const refused = (key: string, label: string) =>
      new sfn.Pass(this, `${label}Refused`, { parameters: { 'reason.$': `$.results.${key}.reason` }, resultPath: '$.failure' }).next(
        closePayment,
      );
    const stepFailed = new sfn.Pass(this, 'StepFailed', {
      parameters: { reason: 'SYSTEM_ERROR', 'error.$': '$.error.Error' },
      resultPath: '$.failure',
    }).next(closePayment);
    const action = (name: string, fn: ServiceFunction, key: string) =>
      invoke(name, fn, key).addRetry(ACTION_RETRY).addCatch(stepFailed, { resultPath: '$.error' });

    // Actions.
    const placed = new sfn.Succeed(this, 'Placed');
    const removeFromCart = invoke('RemoveFromCart', steps.removeFromCart)
      .addRetry(ACTION_RETRY)
      .addCatch(placed, { resultPath: sfn.JsonPath.DISCARD }) // the order stands even if the cart keeps the items
      .next(placed);
    const markAwaitingPayment = action('MarkAwaitingPayment', steps.markAwaitingPayment, 'confirm').next(
      new sfn.Choice(this, 'AwaitingPayment')
        .when(sfn.Condition.and(succeeded('confirm'), sfn.Condition.booleanEquals('$.fromCart', true)), removeFromCart)
        .when(succeeded('confirm'), placed)
        .otherwise(refused('confirm', 'MarkAwaitingPayment')),
    );
    const createPayment = action('CreatePayment', steps.createPayment, 'payment').next(
      new sfn.Choice(this, 'PaymentCreated').when(succeeded('payment'), markAwaitingPayment).otherwise(refused('payment', 'CreatePayment')),
    );
    const useCoupon = action('UseCoupon', steps.useCoupon, 'coupon').next(
      new sfn.Choice(this, 'CouponUsed').when(succeeded('coupon'), createPayment).otherwise(refused('coupon', 'UseCoupon')),
    );
    const reserveStock = action('ReserveStock', steps.reserveStock, 'stock').next(
      new sfn.Choice(this, 'StockReserved')
        .when(sfn.Condition.and(succeeded('stock'), sfn.Condition.isPresent('$.couponId')), useCoupon)
        .when(succeeded('stock'), createPayment)
        .otherwise(refused('stock', 'ReserveStock')),
    );
    // An order no longer pending belongs to whichever run moved it: another run of this saga (an
    // Express workflow runs every StartExecution of a name, so a replayed create can start a
    // second one) or the sweeper's repair. This run ends without compensating: compensating
    // would undo the other run's live order.
    const openOrder = action('OpenOrder', steps.openOrder, 'order').next(
      new sfn.Choice(this, 'OrderOpened').when(succeeded('order'), reserveStock).otherwise(new sfn.Succeed(this, 'NotPending')),
    );
    const cancelRequested = new sfn.Pass(this, 'CancelRequested', { parameters: { 'reason.$': '$.reason' }, resultPath: '$.failure' }).next(
      closePayment,
    );

    const start = new sfn.Choice(this, 'Mode').when(sfn.Condition.stringEquals('$.action', 'cancel'), cancelRequested).otherwise(openOrder);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: sagaNameOf(config),
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      stateMachineType: config.sagaWorkflow === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel[config.sagaLogLevel], includeExecutionData: false },
    });
    if (config.sagaLogLevel !== 'ALL')
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          "The saga logs its failures (level ERROR, MALL_SAGA_LOG_LEVEL): a successful run's events would be most of a purchase's log bytes, and X-Ray and the steps' log lines show it.",
      });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery and X-Ray actions do not support resource-level permissions.',
    });
    for (const fn of Object.values(steps)) {
      // A step of this stack is named by its logical id, another stack's by its literal ARN.
      const resource =
        Stack.of(fn) === Stack.of(this)
          ? `<${Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>`
          : nagArn(Stack.of(this), 'lambda', `function:${fn.literalName}`);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}:*]`,
        reason: 'Invoking a Lambda by its qualified ARN (versions) is how Step Functions calls the saga participants.',
      });
    }
  }
}
