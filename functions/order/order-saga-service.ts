import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { failure, type SagaInput, type StepOutcome, success } from '../../shared/saga';
import type { OrderSagaRepository } from './order-saga-repository';
import type { OrderRecord } from './order-table';

/** Starts executions of the order saga (Step Functions) and reads their status. */
export interface SagaRunner {
  /** Idempotent per `name`: starting a name that already ran is not an error. */
  start(name: string, input: SagaInput): Promise<void>;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED; MISSING if there is no such execution; UNKNOWN if it cannot tell (Express). */
  status(name: string): Promise<string>;
  /** The latest failure in the run's history (a step's error, or the run's own); undefined if none, or if it cannot tell (Express). */
  lastError(name: string): Promise<SagaError | undefined>;
}

/** A failure in a saga run: the error's name, what it said, and when (Unix seconds). */
export interface SagaError {
  error: string;
  cause: string;
  time: number;
}

/**
 * The newest failure among history events, newest first (GetExecutionHistory, reverseOrder).
 * A Lambda's cause is its error as JSON; its errorMessage is kept, cut to 500 characters.
 */
export function lastErrorIn(events: HistoryEvent[]): SagaError | undefined {
  for (const event of events) {
    const details = Object.entries(event).find(
      ([key, value]) => key.endsWith('EventDetails') && typeof (value as { error?: unknown })?.error === 'string',
    )?.[1] as { error: string; cause?: string } | undefined;
    if (!details) continue;
    let cause = details.cause ?? '';
    try {
      cause = String(JSON.parse(cause).errorMessage ?? cause);
    } catch {
      // not JSON: the cause as it is
    }
    return { error: details.error, cause: cause.slice(0, 500), time: Math.floor((event.timestamp?.getTime() ?? 0) / 1000) };
  }
  return undefined;
}

/**
 * The input of a saga run for the order: placing it (`create`) or cancelling it through the
 * compensations (`cancel`). An approved return's run refunds the amount approved.
 */
export function sagaInputOf(o: OrderRecord, action: 'create' | 'cancel' = 'create', reason?: string, correlationId?: string): SagaInput {
  return {
    orderId: o.id,
    uid: o.uid,
    items: o.items.map(({ pid, num, price }) => ({ pid, num, price })),
    total: o.total,
    amount: o.amount,
    ...(o.couponId ? { couponId: o.couponId } : {}),
    fromCart: o.fromCart,
    ...(o.flashSale ? { flashSale: true } : {}),
    action,
    ...(reason ? { reason } : {}),
    // MarkAwaitingPayment, the last action, gives the order its payment id.
    ...(action === 'cancel' && o.paymentId !== undefined ? { placed: true } : {}),
    ...(o.afterSale?.goodsReturned ? { refundAmount: o.afterSale.amount } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
}

// ---- the order service's saga steps ----

/** Saga step OpenOrder: the pending order enters its saga. */
export async function openOrderStep(orders: OrderSagaRepository, input: SagaInput): Promise<StepOutcome> {
  return (await orders.open(input.orderId)) === 'pending' ? success() : failure('ORDER_NOT_PENDING');
}

/** Saga step MarkAwaitingPayment: the order waits for payment `paymentId` until `payDue` (Unix ms). */
export async function awaitPaymentStep(
  orders: OrderSagaRepository,
  input: SagaInput,
  paymentId: number,
  payDue: number,
): Promise<StepOutcome> {
  return (await orders.awaitPayment(input.orderId, paymentId, payDue)) === 'done' ? success() : failure('ORDER_NOT_PENDING');
}

/** Compensation CancelOrder: the order ends cancelled with the reason, unless it was paid. */
export async function cancelOrderStep(orders: OrderSagaRepository, gid: string, input: SagaInput, reason: string): Promise<StepOutcome> {
  await orders.cancel(gid, input.orderId, reason);
  return success();
}
