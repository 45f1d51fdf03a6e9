import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signNotification } from '../../functions/pay/notify-signature';
import { asAdmin, bearer, get, post, registerAndLogin, settledOrder } from './client';
import {
  archivedEvents,
  awsEndpoint,
  deadLetters,
  eventsSettled,
  fireSchedule,
  injectFaults,
  localSecret,
  replayEvents,
} from './local-cloud';

// These tests pay through the local cloud's sandbox callback and advance its clock, so they
// run only against the local cloud.
describe.skipIf(!awsEndpoint)('payments, events and the unpaid-order timeout', () => {
  let admin: Record<string, string>;
  const category = `pay-${Date.now()}`;

  beforeAll(async () => {
    admin = await asAdmin();
  });

  async function createProduct(fields: Record<string, unknown> = {}): Promise<number> {
    const reply = await post('/api/product/create', { name: 'Paid item', stock: 20, amount: 1500, status: 1, category, ...fields }, admin);
    return reply.body.id;
  }
  const product = async (id: number) => (await post('/api/product/detail', { id }, admin)).body as { stock: number; sales: number };

  /** An order awaiting payment, and what paying it takes. */
  async function awaitingOrder(fields: Record<string, unknown> = {}) {
    const user = await registerAndLogin('Payer');
    const pid = await createProduct(fields);
    const created = await post('/api/order/create', { pid, num: 2 }, bearer(user.token));
    const order = await settledOrder(user.token, created.body.id);
    expect(order.state).toBe('awaiting_payment');
    const pay = await post('/api/pay/create', { uid: user.id, oid: order.id, amount: order.amount }, bearer(user.token));
    expect(pay.status).toBe(200);
    const callback = { id: pay.body.id, uid: user.id, oid: order.id, amount: order.amount, source: 1, status: 1 };
    return { user, pid, order, paymentId: pay.body.id as number, callback };
  }

  const paymentState = async (token: string, id: number) => (await post('/api/pay/detail', { id }, bearer(token))).body.state;

  it('the whole purchase: order -> awaiting payment -> pay -> paid, stock confirmed, sales counted', async () => {
    const { user, pid, order, paymentId, callback } = await awaitingOrder();
    expect(paymentId).toBe(order.payment_id); // the saga's payment record
    const paid = await post('/api/pay/callback', callback, bearer(user.token));
    expect(paid.body).toEqual({ id: paymentId, uid: user.id, oid: order.id, amount: 3000, source: 1, status: 1, state: 'paid' });
    await eventsSettled();
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body).toMatchObject({ state: 'paid', status: 1 });
    expect(await product(pid)).toMatchObject({ stock: 18, sales: 2 });
    const best = (await get('/api/category/list', { category, sort: 'sales' }, bearer(user.token))).body.products[0];
    expect(best).toMatchObject({ id: pid, sales: 2 });
    expect((await post('/api/pay/create', { oid: order.id, amount: 3000 }, bearer(user.token))).body.code).toBe('ALREADY_PAID');
  });

  it('a duplicate callback gives the same answer, one state change and one event', async () => {
    const { user, pid, order, callback } = await awaitingOrder();
    const first = await post('/api/pay/callback', callback, bearer(user.token));
    const second = await post('/api/pay/callback', callback, bearer(user.token));
    expect(second).toEqual(first);
    await eventsSettled();
    const events = (await archivedEvents()).filter((e) => e['detail-type'] === 'PaymentSucceeded' && e.detail.orderId === order.id);
    expect(events).toHaveLength(1);
    expect(await product(pid)).toMatchObject({ sales: 2 });
  });

  it("refuses a wrong amount, and someone else's order or payment", async () => {
    const { user, order, paymentId, callback } = await awaitingOrder();
    const other = await registerAndLogin('Other');
    expect((await post('/api/pay/create', { oid: order.id, amount: order.amount + 1 }, bearer(user.token))).body.code).toBe(
      'AMOUNT_MISMATCH',
    );
    expect((await post('/api/pay/callback', { ...callback, amount: callback.amount - 1 }, bearer(user.token))).body.code).toBe(
      'AMOUNT_MISMATCH',
    );
    expect((await post('/api/pay/create', { oid: order.id, amount: order.amount }, bearer(other.token))).status).toBe(404);
    expect((await post('/api/pay/detail', { id: paymentId }, bearer(other.token))).status).toBe(404);
    expect((await post('/api/pay/callback', callback, bearer(other.token))).status).toBe(404);
    expect(await paymentState(user.token, paymentId)).toBe('awaiting');
  });

  it("the provider's notification must be signed with its key", async () => {
    const { user, order, paymentId, callback } = await awaitingOrder();
    const key = await localSecret('PaymentsCallbackSecret');
    const body = JSON.stringify(callback);
    for (const headers of [
      {} as Record<string, string>,
      { 'x-mall-signature': 'sha256=00' },
      signNotification(body, 'not-the-key'),
      signNotification(body.replace('3000', '3001'), key),
      // The old scheme, the body alone signed: no timestamp.
      { 'x-mall-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` },
    ]) {
      const reply = await post('/api/pay/notify', body, headers);
      expect(reply, JSON.stringify(headers)).toMatchObject({ status: 401, body: { code: 'BAD_SIGNATURE' } });
    }
    expect(await paymentState(user.token, paymentId)).toBe('awaiting');
    const late = signNotification(body, key, Math.floor(Date.now() / 1000) - 600);
    expect(await post('/api/pay/notify', body, late)).toMatchObject({ status: 401, body: { code: 'STALE_NOTIFICATION' } });
    expect(await paymentState(user.token, paymentId)).toBe('awaiting');
    const signed = await post('/api/pay/notify', body, signNotification(body, key));
    expect(signed.body.state).toBe('paid');
    await eventsSettled();
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body.state).toBe('paid');
  });

  it('an unpaid order is closed after the timeout: stock and coupon back, payment closed; a late payment needs a refund', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct();
    const coupon = (
      await post('/api/coupon/issue', { uid: user.id, value: 100, expires_at: Math.floor(Date.now() / 1000) + 86_400 }, admin)
    ).body.id;
    const order = await settledOrder(
      user.token,
      (await post('/api/order/create', { pid, num: 3, couponId: coupon }, bearer(user.token))).body.id,
    );
    expect(order.state).toBe('awaiting_payment');
    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + 29 * 60_000)); // not yet
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body.state).toBe('awaiting_payment');
    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + 31 * 60_000));
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'PAYMENT_TIMEOUT' });
    expect(await product(pid)).toMatchObject({ stock: 20, sales: 0 });
    const coupons = (await get('/api/coupon/list', {}, bearer(user.token))).body.coupons;
    expect(coupons.find((c: any) => c.id === coupon).state).toBe('unused');
    expect(await paymentState(user.token, order.payment_id)).toBe('closed');
    // A cancelled order cannot be paid; a successful payment that still arrives is kept for a refund.
    expect((await post('/api/pay/create', { oid: order.id, amount: order.amount }, bearer(user.token))).body.code).toBe(
      'ORDER_NOT_PAYABLE',
    );
    const late = await post(
      '/api/pay/callback',
      { id: order.payment_id, uid: user.id, oid: order.id, amount: order.amount, source: 1, status: 1 },
      bearer(user.token),
    );
    expect(late.body).toMatchObject({ state: 'refund_needed', status: 2 });
    await eventsSettled();
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body.state).toBe('cancelled');
  });

  it('callback against timeout, raced many times: never both outcomes', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, () => awaitingOrder()));
    await Promise.all([
      ...orders.map(({ user, callback }) => post('/api/pay/callback', callback, bearer(user.token))),
      fireSchedule('Orders/SweepSchedule', new Date(Date.now() + 31 * 60_000)),
    ]);
    await eventsSettled();
    for (const { user, order, paymentId, pid } of orders) {
      const final = await settledOrder(user.token, order.id);
      const payment = await paymentState(user.token, paymentId);
      const stock = await product(pid);
      if (final.state === 'paid') {
        expect(payment).toBe('paid');
        expect(stock).toMatchObject({ stock: 18, sales: 2 });
      } else {
        expect(final).toMatchObject({ state: 'cancelled', reason: 'PAYMENT_TIMEOUT' });
        expect(payment).toBe('refund_needed'); // the callback lost: the money is flagged, not lost
        expect(stock).toMatchObject({ stock: 20, sales: 0 });
      }
    }
  });

  it('an event replayed from the archive changes nothing', async () => {
    const { user, pid, order, callback } = await awaitingOrder();
    await post('/api/pay/callback', callback, bearer(user.token));
    await eventsSettled();
    expect(await replayEvents('PaymentSucceeded')).toBeGreaterThan(0);
    expect(await product(pid)).toMatchObject({ stock: 18, sales: 2 });
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body.state).toBe('paid');
  });

  it('a consumer failing transiently is retried until it succeeds, once', async () => {
    const { user, pid, order, callback } = await awaitingOrder();
    await injectFaults('Products/OnPaymentSucceeded', 2);
    await post('/api/pay/callback', callback, bearer(user.token));
    await eventsSettled();
    expect(await product(pid)).toMatchObject({ sales: 2 });
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).body.state).toBe('paid');
    const dead = Object.values(await deadLetters()).flat() as Array<{ event: { detail: { orderId: number } } }>;
    expect(dead.filter((d) => d.event.detail.orderId === order.id)).toEqual([]);
  });

  it('the owner can cancel an order once it is paid (before shipping): it is refunded (test/e2e/refunds.test.ts)', async () => {
    const { user, order, callback } = await awaitingOrder();
    await post('/api/pay/callback', callback, bearer(user.token));
    await eventsSettled();
    const cancel = await post('/api/order/cancel', { id: order.id }, bearer(user.token));
    expect(cancel.body).toMatchObject({ state: 'cancelling' });
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
  });
});
