import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Barrier } from '../../shared/barrier';
import type { Caller } from '../../shared/caller';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { publish } from '../../shared/event-bus';
import { paymentSucceeded } from '../../shared/events';
import { logger, metrics } from '../../shared/powertools';
import { pollWhile } from '../../shared/retry';
import { failure, type SagaInput, type StepOutcome, success } from '../../shared/saga';
import type { OrderLookup, OrderSummary } from '../order/client';
import type { CloseResult, PaymentRecord, PaymentRepository } from './payment-repository';
import type { RefundRecord, RefundRepository } from './refund-repository';
import { type RefundDeps, tryFinishRefund } from './refund-service';
import { type CallbackRequest, PAY_STATUS, type PaymentState, type PaymentView, PROVIDER_PAID, type RefundView } from './schemas';

const paymentNotFound = () => notFound('PAYMENT_NOT_FOUND', 'payment not found');

export function toView(p: PaymentRecord): PaymentView {
  const refundedAmount = p.refunded ?? 0;
  const state: PaymentState = refundedAmount > 0 && refundedAmount >= p.amount ? 'refunded' : p.refundNeeded ? 'refund_needed' : p.status;
  return {
    id: p.id,
    uid: p.uid,
    oid: p.oid,
    amount: p.amount,
    source: p.source,
    status: PAY_STATUS[state],
    state,
    ...(p.refundRequested ? { refunded_amount: refundedAmount } : {}),
  };
}

const seconds = (ms: number) => Math.floor(ms / 1000);
export function refundView(r: RefundRecord): RefundView {
  return {
    id: r.refundId,
    amount: r.amount,
    reason: r.reason,
    state: r.state,
    ...(r.reference ? { reference: r.reference } : {}),
    create_time: seconds(r.createdAt),
    ...(r.refundedAt ? { refund_time: seconds(r.refundedAt) } : {}),
  };
}

/** A new payment record for an order, awaiting payment: it takes the order's id (one payment per order). */
function newPayment(order: { uid: number; oid: number; amount: number }): PaymentRecord {
  return { id: order.oid, ...order, source: 0, status: 'awaiting', createdAt: Date.now() };
}

/** Seconds a client told ORDER_PENDING should wait before asking again (Retry-After). */
export const ORDER_PENDING_RETRY_AFTER = 1;

/**
 * The order once its saga has placed it, polled (the order service reads strongly consistent)
 * for at most `waitMs`; then 409 ORDER_PENDING with Retry-After, since the order is fine, only
 * not placed yet.
 */
async function placedOrder(orders: OrderLookup, pending: OrderSummary, waitMs: number): Promise<OrderSummary | null> {
  const order = await pollWhile(
    () => orders.get(pending.id),
    (o) => o?.state === 'pending',
    waitMs,
    pending,
  );
  if (order?.state === 'pending')
    throw conflict('ORDER_PENDING', 'the order is still being placed; try again in a moment', ORDER_PENDING_RETRY_AFTER);
  return order;
}

/**
 * Returns the order's payment (the saga made it), or makes it if missing; never a second one.
 * go-zero-mall's client asks right after creating the order: an order still being placed is
 * waited for, at most `waitMs` (PAY_ORDER_WAIT_MS).
 */
export async function createPayment(
  repo: PaymentRepository,
  orders: OrderLookup,
  caller: Caller,
  input: { uid?: number; oid: number; amount: number },
  waitMs = 0,
) {
  if (input.uid !== undefined && input.uid !== caller.uid) throw forbidden('UID_MISMATCH', 'uid must be your own user id');
  let order = await orders.get(input.oid);
  if (!order || order.uid !== caller.uid) throw notFound('ORDER_NOT_FOUND', 'order not found');
  if (input.amount !== order.amount) throw badRequest('AMOUNT_MISMATCH', `the order's amount is ${order.amount}, not ${input.amount}`);
  if (order.state === 'pending') order = (await placedOrder(orders, order, waitMs))!;
  const existing = await repo.forOrder(order.id);
  if (existing?.status === 'paid' || order.state === 'paid') throw conflict('ALREADY_PAID', 'this order is already paid');
  if (order.state !== 'awaiting_payment' || existing?.status === 'closed')
    throw conflict('ORDER_NOT_PAYABLE', `an order that is ${order.state} cannot be paid`);
  const payment = existing ?? (await repo.createForOrder(newPayment({ uid: order.uid, oid: order.id, amount: order.amount })));
  return { id: payment.id };
}

/**
 * The payment, with its refunds once one was asked for (each with the provider's reference once
 * it answered); go-zero-mall's shape, unchanged, for a payment never refunded.
 */
export async function paymentDetail(repo: PaymentRepository, refunds: RefundRepository, caller: Caller, id: number): Promise<PaymentView> {
  const payment = await repo.get(id);
  if (!payment || (payment.uid !== caller.uid && caller.role !== 'admin')) throw paymentNotFound();
  if (!payment.refundRequested) return toView(payment);
  return { ...toView(payment), refunds: (await refunds.forPayment(id)).map(refundView) };
}

/**
 * The provider's verdict. Idempotent: the same callback again gives the same answer, with one
 * state change and one PaymentSucceeded event. A payment closed meanwhile (order timed out or
 * cancelled) is never marked paid: it is recorded as needing a refund.
 */
export async function handleCallback(
  repo: PaymentRepository,
  busName: string,
  input: CallbackRequest,
  caller?: Caller,
  correlationId?: string,
): Promise<PaymentView> {
  const payment = await repo.get(input.id);
  if (!payment || (caller && payment.uid !== caller.uid)) throw paymentNotFound();
  if (payment.uid !== input.uid || payment.oid !== input.oid) throw badRequest('PAYMENT_MISMATCH', 'uid and oid do not match this payment');
  if (input.amount !== payment.amount)
    throw badRequest('AMOUNT_MISMATCH', `the payment's amount is ${payment.amount}, not ${input.amount}`);
  if (input.status !== PROVIDER_PAID) return toView(payment); // a failed attempt changes nothing; the order stays payable

  const outcome = await repo.markPaid(input.id, input.amount, input.source);
  if (outcome === 'amount-mismatch') throw badRequest('AMOUNT_MISMATCH', 'the amount does not match this payment');
  if (outcome === 'paid') metrics.addMetric('PaymentSucceeded', MetricUnit.Count, 1);
  if (outcome === 'refund-needed') metrics.addMetric('PaymentRefundNeeded', MetricUnit.Count, 1);
  const now = (await repo.get(input.id))!;
  if (now.status === 'paid' && now.eventPending) await publishOrLeaveToRelay(repo, busName, now, correlationId);
  return toView(now);
}

/**
 * The payment is durably paid, its outbox flag set: if the bus refuses PaymentSucceeded now, a
 * retried callback or the outbox relay (schedule/relay-events.ts) publishes it later. So the
 * provider is answered 200 either way: a 5xx would only make it retry what is already recorded.
 */
async function publishOrLeaveToRelay(repo: PaymentRepository, busName: string, paid: PaymentRecord, correlationId?: string) {
  try {
    await publishPaymentSucceeded(repo, busName, paid, correlationId);
  } catch (error) {
    metrics.addMetric('PaymentEventDeferred', MetricUnit.Count, 1);
    logger.warn('PaymentSucceeded not published; the outbox relay will', { paymentId: paid.id, error: String(error) });
  }
}

/** Puts the payment's PaymentSucceeded on the bus, then clears its outbox flag (consumers are idempotent). */
export async function publishPaymentSucceeded(repo: PaymentRepository, busName: string, paid: PaymentRecord, correlationId?: string) {
  await publish(
    paymentSucceeded,
    {
      version: 1,
      paymentId: paid.id,
      orderId: paid.oid,
      uid: paid.uid,
      amount: paid.amount,
      paidAt: paid.paidAt!,
      ...(correlationId ? { correlationId } : {}),
    },
    busName,
  );
  await repo.markEventPublished(paid.id);
}

/** Internal, for the order service: closes the order's payment unless it was paid (the order is closed only then). */
export function closePaymentForOrder(repo: PaymentRepository, orderId: number): Promise<CloseResult> {
  return repo.closeForOrder(orderId);
}

// ---- the payment service's saga steps ----

/** Saga step CreatePayment: the order's payment record, awaiting payment. */
export async function createPaymentStep(repo: PaymentRepository, barrier: Barrier, gid: string, input: SagaInput): Promise<StepOutcome> {
  const result = await repo.create(barrier, gid, newPayment({ uid: input.uid, oid: input.orderId, amount: input.amount }));
  if (result.status === 'done') return success({ paymentId: result.data.paymentId });
  if (result.status === 'blocked') return failure('ALREADY_CANCELLED');
  throw new Error(`order ${input.orderId} already has another payment record`); // never expected
}

/**
 * Compensation ClosePayment: empty if CreatePayment never ran. A paid payment (a paid order
 * cancelled, or paid while its order was being cancelled) is refunded: the refund is asked for
 * with the compensation, then tried once; the relay retries it until the provider answers, so
 * the other compensations never wait on the provider.
 */
export async function closePaymentStep(
  repo: PaymentRepository,
  barrier: Barrier,
  gid: string,
  input: SagaInput,
  refundDeps: RefundDeps,
): Promise<StepOutcome> {
  const { refund } = await repo.close(barrier, gid, input.orderId, input.reason ?? 'ORDER_CANCELLED', input.refundAmount);
  if (refund) await tryFinishRefund(refundDeps, refund.paymentId, refund.refundId);
  return success();
}
