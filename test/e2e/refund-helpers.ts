import { expect } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { archivedEvents, eventsSettled } from './local-cloud';
import { admin, couponOf, issueCoupon } from './order-helpers';

// Refunds over real HTTP: a paid order, and what the tests read back.

const category = `refunds-${Date.now()}`;

export const productOf = async (id: number) => (await post('/api/product/detail', { id }, admin)).body as { stock: number; sales: number };
export const orderOf = async (token: string, id: number) => (await post('/api/order/detail', { id }, bearer(token))).body;
export const paymentOf = async (token: string, id: number) => (await post('/api/pay/detail', { id }, bearer(token))).body;

/** The Refunded events archived for the order. */
export const refundedEvents = async (orderId: number) =>
  (await archivedEvents()).filter((e) => e['detail-type'] === 'Refunded' && e.detail.orderId === orderId);

/** A user's order of 2 units of a new product (stock 20, price 1500) with a 300 coupon, awaiting payment. */
export async function awaitingOrder() {
  const user = await registerAndLogin('Refundee');
  const created = await post('/api/product/create', { name: 'Refundable', stock: 20, amount: 1500, status: 1, category }, admin);
  const pid = created.body.id as number;
  const coupon = await issueCoupon(user.id, { value: 300 });
  // A busy (cold) local cloud may answer 503: retried with the same Idempotency-Key, as a client would.
  const key = { ...bearer(user.token), 'idempotency-key': `refund-${pid}` };
  let placed = await post('/api/order/create', { pid, num: 2, couponId: coupon }, key);
  for (let i = 0; i < 5 && placed.status === 503; i++) placed = await post('/api/order/create', { pid, num: 2, couponId: coupon }, key);
  expect(placed.status, JSON.stringify(placed.body)).toBe(200);
  const order = await settledOrder(user.token, placed.body.id);
  expect(order).toMatchObject({ state: 'awaiting_payment', amount: 2700 });
  const callback = { id: order.payment_id, uid: user.id, oid: order.id, amount: order.amount, source: 1, status: 1 };
  return { user, pid, coupon, order, paymentId: order.payment_id as number, callback };
}

/** The same, paid: the order is paid, the sale confirmed (stock 18, sales 2), the coupon used. */
export async function paidOrder() {
  const o = await awaitingOrder();
  expect((await post('/api/pay/callback', o.callback, bearer(o.user.token))).body.state).toBe('paid');
  await eventsSettled();
  expect((await orderOf(o.user.token, o.order.id)).state).toBe('paid');
  expect(await productOf(o.pid)).toMatchObject({ stock: 18, sales: 2 });
  expect((await couponOf(o.user.token, o.coupon)).state).toBe('used');
  return o;
}
