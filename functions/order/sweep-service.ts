import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../../shared/powertools';
import type { PaymentCloser, PaymentRefunder } from '../pay/client';
import type { AfterSaleRepository } from './after-sale-repository';
import { finishRefund } from './after-sale-service';
import type { OrderRepository } from './order-repository';
import { type SagaError, type SagaRunner, sagaInputOf } from './order-saga-service';
import type { OrderRecord } from './order-table';
import type { OverdueOrderRepository, OverduePages } from './overdue-order-repository';
import { markPaid } from './payment-event-service';

/** What the sweeper reads and moves. */
export interface SweepDeps {
  orders: OrderRepository;
  overdue: OverdueOrderRepository;
  saga: SagaRunner;
  payments: PaymentCloser;
  /** For an approved after-sale refund whose approval stopped before the refund was asked for. */
  afterSale: AfterSaleRepository;
  refunds: PaymentRefunder;
}

/** How the sweeper paces itself. */
export interface SweepLimits {
  /** An order pending or cancelling this long (ms) with no running saga is driven to cancelled. */
  boundMs: number;
  /** Orders handled at once per shard (the shards are swept side by side). */
  concurrency: number;
  /**
   * Repair runs started for one order before it is parked for an operator: a repair that keeps
   * failing (a compensation refused for good) would otherwise start a run every sweep forever.
   */
  maxRepairs: number;
  /** The share of each run's remaining time kept for fulfilment, which is swept last. */
  fulfilmentShare: number;
}

type Outcome = 'acted' | 'skipped' | 'parked' | 'moved';

/** The saga execution driving an order: its cancel or repair run, or the run that placed it. */
const runOf = (o: OrderRecord) => o.run ?? `order-${o.id}`;

/**
 * Every shard's overdue orders, shards side by side, `concurrency` orders at a time per shard,
 * page after page until none is left or `stopAt` (Unix ms) comes; the next run goes on.
 */
export async function sweepShards(
  deps: SweepDeps,
  pagesOf: OverduePages,
  concurrency: number,
  stopAt: number,
  act: (o: OrderRecord) => Promise<Outcome>,
) {
  const counts = { checked: 0, acted: 0, skipped: 0, parked: 0, failed: 0 };
  const shard = async (n: number) => {
    for await (const page of pagesOf(n)) {
      const queue = [...page];
      const worker = async () => {
        for (let order = queue.shift(); order; order = queue.shift()) {
          if (Date.now() >= stopAt) return;
          counts.checked++;
          try {
            const outcome = await act(order);
            if (outcome !== 'moved') counts[outcome]++;
          } catch (error) {
            // One order's failure (a throttled StartExecution, say) must not stop the others; the
            // order is still on its index (a cancelling one on ByOpen), so a later run retries it.
            counts.failed++;
            logger.warn('order not swept', { orderId: order.id, error: String(error) });
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      if (Date.now() >= stopAt) return;
    }
  };
  await Promise.all(Array.from({ length: deps.overdue.shards }, (_, n) => shard(n)));
  return counts;
}

/**
 * No order stays pending or cancelling forever: one still there `boundMs` after it entered that
 * state, whose execution is not running (it failed, timed out, was aborted, or never started),
 * is driven to cancelled through the saga's compensations, which are idempotent. One whose saga
 * is still running is looked at again `boundMs` later. An order in after-sale on ByOpen has an
 * approved refund not yet asked for (its approval stopped midway): it is finished (`repaired`).
 * After `maxRepairs` repair runs have ended without cancelling it, the order is parked instead
 * (OrderParked, listed by stuckOrders): no run of its can succeed until someone fixes the cause.
 */
export async function sweepOpenOrders(deps: SweepDeps, limits: SweepLimits, now = Date.now(), stopAt = Infinity) {
  const { checked, acted, skipped, parked, failed } = await sweepShards(
    deps,
    deps.overdue.openBefore(now - limits.boundMs),
    limits.concurrency,
    stopAt,
    async (order) => {
      if (order.state === 'after_sale') {
        const approved = order as Parameters<typeof finishRefund>[1];
        return approved.afterSale?.state === 'approved' && (await finishRefund(deps, approved, now)) ? 'acted' : 'moved';
      }
      if ((await deps.saga.status(runOf(order))) === 'RUNNING') {
        return (await deps.overdue.lookAgainAt(order, now)) ? 'skipped' : 'moved';
      }
      const repairs = order.repairs ?? 0;
      if (repairs >= limits.maxRepairs) {
        if (!(await deps.overdue.park(order, now))) return 'moved';
        metrics.addMetric('OrderParked', MetricUnit.Count, 1);
        logger.error('order parked: its repairs keep failing', { orderId: order.id, repairs, run: runOf(order) });
        return 'parked';
      }
      const run = `repair-${order.id}-${now}`;
      if (!(await deps.overdue.startRepair(order, run))) return 'moved';
      await deps.saga.start(run, sagaInputOf(order, 'cancel', order.reason ?? 'SAGA_ABORTED'));
      return 'acted';
    },
  );
  return { checked, repaired: acted, stillRunning: skipped, parked, repairFailed: failed };
}

/**
 * Closes orders not paid by their deadline. The payment is closed first, on the payment's own
 * record, which is where a racing callback is decided: if the payment won, the order is marked
 * paid here, by the same idempotent transition as the PaymentSucceeded consumer's, since that
 * event may never come (its consumer kept failing and it was dead-lettered); otherwise the
 * saga's compensations release stock and coupon. A paid answer without the payment (a pay
 * function older than this one) leaves the order to the event, looked at again `boundMs` later.
 */
export async function closeUnpaidOrders(deps: SweepDeps, limits: SweepLimits, now = Date.now(), stopAt = Infinity) {
  let markedPaid = 0;
  const { acted, skipped, failed } = await sweepShards(deps, deps.overdue.unpaidBefore(now), limits.concurrency, stopAt, async (order) => {
    const close = await deps.payments.closeForOrder(order.id);
    if (close.outcome === 'paid' && close.payment) {
      if ((await markPaid(deps.orders, order.id, close.payment.id, close.payment.paidAt)) !== 'paid') return 'moved';
      markedPaid++;
      logger.warn('order marked paid by the sweeper: its PaymentSucceeded was not taken', {
        orderId: order.id,
        paymentId: close.payment.id,
      });
      return 'moved';
    }
    if (close.outcome === 'paid') {
      return (await deps.overdue.lookAgainAt(order, now + limits.boundMs)) ? 'skipped' : 'moved';
    }
    const run = `timeout-${order.id}`;
    if (!(await deps.orders.transition(order.id, ['awaiting_payment'], 'cancelling', { run, reason: 'PAYMENT_TIMEOUT' }))) return 'moved';
    await deps.saga.start(run, sagaInputOf(order, 'cancel', 'PAYMENT_TIMEOUT'));
    return 'acted';
  });
  return { closed: acted, markedPaid, paidAwaitingEvent: skipped, closeFailed: failed };
}

/**
 * The time by which the sweeps before fulfilment stop (Unix ms): `share` of what is left until
 * `stopAt` is kept for fulfilment, so a backlog of unpaid or stuck orders never starves
 * auto-receipt and completion, which would otherwise never run while that backlog lasts.
 */
export const stopBeforeFulfilment = (stopAt: number, share: number, start = Date.now()) => stopAt - Math.max(0, stopAt - start) * share;

/** How many of the oldest stuck orders are listed with their run's last error (one history read each). */
export const LAST_ERRORS_LISTED = 50;

/**
 * Orders cancelling for longer than `stuckMs`, and every parked one, oldest first: their
 * compensations keep failing (admin, GET /api/order/stuck). The oldest LAST_ERRORS_LISTED carry
 * their run's last error. A parked order is repaired again once an operator has fixed the cause
 * and made it due on ByOpen: `aws dynamodb update-item` on its key (pk ORDER#<id>, sk ORDER) with
 * `SET openKey = :zero REMOVE parkedAt, repairs` and the condition `attribute_exists(parkedAt)`;
 * the next sweep starts a repair run, with a fresh bound.
 */
export async function stuckOrders(overdue: OverdueOrderRepository, saga: SagaRunner, stuckMs: number, now = Date.now()) {
  const orders = await overdue.cancellingSince(now - stuckMs);
  const lastErrors: Array<SagaError | undefined> = [];
  for (let i = 0; i < Math.min(orders.length, LAST_ERRORS_LISTED); i += 5) {
    lastErrors.push(...(await Promise.all(orders.slice(i, i + 5).map((o) => saga.lastError(runOf(o))))));
  }
  return {
    orders: orders.map((o, i) => ({
      id: o.id,
      uid: o.uid,
      run: runOf(o),
      ...(o.reason ? { reason: o.reason } : {}),
      since: Math.floor(o.updatedAt / 1000),
      ...(o.repairs ? { repairs: o.repairs } : {}),
      ...(o.parkedAt ? { parked_at: Math.floor(o.parkedAt / 1000) } : {}),
      ...(lastErrors[i] ? { last_error: lastErrors[i] } : {}),
    })),
  };
}
