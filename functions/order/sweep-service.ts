import type { PaymentCloser } from '../pay/client';
import type { OrderRepository } from './order-repository';
import { type SagaRunner, sagaInputOf } from './order-saga-service';
import type { OverdueOrderRepository } from './overdue-order-repository';

/** What the sweeper reads and moves. */
export interface SweepDeps {
  orders: OrderRepository;
  overdue: OverdueOrderRepository;
  saga: SagaRunner;
  payments: PaymentCloser;
}

/**
 * No order stays pending forever: an order still pending or cancelling after `boundMs` whose
 * execution is not running (it failed, timed out, was aborted, or never started) is driven to
 * cancelled through the saga's compensations.
 */
export async function sweepOpenOrders(deps: Omit<SweepDeps, 'payments'>, boundMs: number, now = Date.now(), stopAt = Infinity) {
  const stuck = await deps.overdue.openBefore(now - boundMs);
  let repaired = 0;
  for (const order of stuck) {
    if (Date.now() >= stopAt) break; // the next run goes on
    if ((await deps.saga.status(order.run ?? `order-${order.id}`)) === 'RUNNING') continue;
    const run = `repair-${order.id}-${now}`;
    if (!(await deps.orders.transition(order.id, [order.state], 'cancelling', { run }))) continue; // it moved on meanwhile
    await deps.saga.start(run, sagaInputOf(order, 'cancel', 'SAGA_ABORTED'));
    repaired++;
  }
  return { checked: stuck.length, repaired };
}

/**
 * Closes orders not paid by their deadline. The payment is closed first, on the payment's own
 * record, which is where a racing callback is decided: if the payment won, the order is left
 * to be marked paid; otherwise the saga's compensations release stock and coupon.
 */
export async function closeUnpaidOrders(deps: SweepDeps, now = Date.now(), stopAt = Infinity) {
  let closed = 0;
  for (const order of await deps.overdue.unpaidBefore(now)) {
    if (Date.now() >= stopAt) break; // the next run goes on
    if ((await deps.payments.closeForOrder(order.id)) === 'paid') continue;
    const run = `timeout-${order.id}`;
    if (!(await deps.orders.transition(order.id, ['awaiting_payment'], 'cancelling', { run }))) continue;
    await deps.saga.start(run, sagaInputOf(order, 'cancel', 'PAYMENT_TIMEOUT'));
    closed++;
  }
  return { closed };
}
