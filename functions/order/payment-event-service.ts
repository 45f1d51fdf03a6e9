import type { OrderRepository } from './order-repository';

/**
 * PaymentSucceeded: the order is paid. Idempotent; an order still being placed is retried later.
 * The sweeper makes the same move for an overdue order whose payment is paid, in case the event
 * never reached the order.
 */
export async function markPaid(
  orders: OrderRepository,
  orderId: number,
  paymentId: number,
  paidAt: number,
): Promise<'paid' | 'already-paid' | 'not-payable'> {
  if (await orders.transition(orderId, ['awaiting_payment'], 'paid', { paidAt, paymentId })) return 'paid';
  const order = await orders.get(orderId);
  if (order?.state === 'paid') return 'already-paid';
  if (order?.state === 'pending') throw new Error(`order ${orderId} is still pending; the event will be delivered again`);
  return 'not-payable';
}

/** Refunded: the order records how much of its payment is back. Idempotent (the sum only grows). */
export async function recordRefund(orders: OrderRepository, orderId: number, refundedTotal: number, refundedAt: number) {
  if (await orders.recordRefund(orderId, refundedTotal, refundedAt)) return 'recorded';
  if (!(await orders.get(orderId))) throw new Error(`order ${orderId} not found; the event will be delivered again`);
  return 'already-recorded';
}
