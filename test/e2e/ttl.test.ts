import { beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer, get, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, eventsSettled, runTtl } from './local-cloud';
import { admin, couponOf, signIn } from './order-helpers';
import { orderOf, paidOrder, paymentOf, productOf } from './refund-helpers';

const DAY = 86_400_000;

/**
 * DynamoDB deletes every item whose TTL attribute (`expiresAt`, epoch seconds) has passed. The
 * local cloud does the same; here its clock is moved past every transient record's lifetime
 * (a final barrier 30 days, revocations and idempotency keys a day) and nothing a shop must keep may go.
 */
describe.skipIf(!awsEndpoint)('DynamoDB TTL', () => {
  it('deletes barriers, revoked tokens and idempotency keys, and never a business record', async () => {
    const admin = await asAdmin();
    const user = await registerAndLogin('Keeper');
    const now = Math.floor(Date.now() / 1000);
    const issue = async (expires_at: number) =>
      (await post('/api/coupon/issue', { uid: user.id, value: 100, min_spend: 0, expires_at }, admin)).body.id as number;
    const expiredCoupon = await issue(now - 60);
    const coupon = await issue(now + 3600);
    const pid = (
      await post('/api/product/create', { name: 'Kept', stock: 10, amount: 500, status: 1, category: `ttl-${Date.now()}` }, admin)
    ).body.id as number;

    // An order with a coupon and an Idempotency-Key, then cancelled: barriers of every step and compensation.
    const cancelled = await post(
      '/api/order/create',
      { pid, num: 1, couponId: coupon },
      { ...bearer(user.token), 'Idempotency-Key': `ttl-${now}` },
    );
    expect(cancelled.status).toBe(200);
    expect((await settledOrder(user.token, cancelled.body.id)).state).toBe('awaiting_payment');
    expect((await post('/api/order/cancel', { id: cancelled.body.id }, bearer(user.token))).status).toBe(200);
    expect((await settledOrder(user.token, cancelled.body.id)).state).toBe('cancelled');
    // An order paid for: a payment record and a confirmed sale.
    const paidOrder = await settledOrder(user.token, (await post('/api/order/create', { pid, num: 2 }, bearer(user.token))).body.id);
    const pay = await post('/api/pay/create', { oid: paidOrder.id, amount: paidOrder.amount }, bearer(user.token));
    await post(
      '/api/pay/callback',
      { id: pay.body.id, uid: user.id, oid: paidOrder.id, amount: paidOrder.amount, source: 1, status: 1 },
      bearer(user.token),
    );
    await eventsSettled();
    // A logged-out token: a revocation.
    expect((await post('/api/user/logout', {}, bearer(user.token))).status).toBe(200);

    const deleted = Object.values(await runTtl(new Date(Date.now() + 31 * DAY))).flat();
    const kinds = new Set(deleted.map((key) => key.split('#')[0]));
    expect([...kinds].sort()).toEqual(['BARRIER', 'IDEMPOTENCY', 'REVOKED']);
    expect(deleted).toContain(`IDEMPOTENCY#${user.id}#ttl-${now}|KEY`);
    // ReserveStock's, UseCoupon's and CreatePayment's (their compensations mark the same item),
    // and CancelOrder's (OpenOrder and MarkAwaitingPayment write no barrier: the order item is their own).
    const barriers = deleted.filter((key) => key.startsWith(`BARRIER#order-${cancelled.body.id}#`));
    expect(barriers.sort()).toEqual(
      ['coupon|action', 'order|compensate', 'payment|action', 'stock|action'].map((k) => `BARRIER#order-${cancelled.body.id}#${k}`),
    );
    // The paid order may still be cancelled or returned: its barriers are kept.
    expect(deleted.filter((key) => key.startsWith(`BARRIER#order-${paidOrder.id}#`))).toEqual([]);

    // Everything a shop keeps is still there, the expired and the used coupon included.
    const token = (await post('/api/user/login', { mobile: user.mobile, password: user.password })).body.accessToken as string;
    expect((await post('/api/user/userinfo', {}, bearer(token))).body).toMatchObject({ id: user.id, mobile: user.mobile });
    const coupons = (await get('/api/coupon/list', {}, bearer(token))).body.coupons as Array<{ id: number; state: string }>;
    expect(coupons.map((c) => [c.id, c.state]).sort()).toEqual(
      [
        [expiredCoupon, 'expired'],
        [coupon, 'unused'],
      ].sort(),
    );
    expect((await post('/api/order/detail', { id: cancelled.body.id }, bearer(token))).body.state).toBe('cancelled');
    expect((await post('/api/order/detail', { id: paidOrder.id }, bearer(token))).body.state).toBe('paid');
    expect((await post('/api/pay/detail', { id: pay.body.id }, bearer(token))).body.state).toBe('paid');
    expect((await post('/api/product/detail', { id: pid }, admin)).body).toMatchObject({ stock: 8, sales: 2 });
  });

  it('keeps a record whose time has not come: a revoked token stays revoked until it expires', async () => {
    const user = await registerAndLogin('Fresh');
    expect((await post('/api/user/logout', {}, bearer(user.token))).status).toBe(200);
    // A day less a minute: the revocation (kept until the token expires) is not due yet.
    await runTtl(new Date(Date.now() + DAY - 60_000));
    expect((await post('/api/user/userinfo', {}, bearer(user.token))).status).toBe(401);
  });
});

/**
 * A paid order can be cancelled before shipping, and a received one returned, at any age: what
 * the compensations need (the barriers) is still there 31 days on, and the buyer gets every cent.
 */
describe.skipIf(!awsEndpoint)('compensations after a month', () => {
  beforeAll(signIn);
  const monthLater = () => runTtl(new Date(Date.now() + 31 * DAY));

  async function expectUndone(o: Awaited<ReturnType<typeof paidOrder>>, reason: string) {
    expect(await settledOrder(o.user.token, o.order.id)).toMatchObject({ state: 'cancelled', reason });
    await eventsSettled();
    expect(await orderOf(o.user.token, o.order.id)).toMatchObject({ refund_state: 'refunded', refunded_amount: 2700 });
    expect(await paymentOf(o.user.token, o.paymentId)).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(await productOf(o.pid)).toMatchObject({ stock: 20, sales: 0 });
    expect((await couponOf(o.user.token, o.coupon)).state).toBe('unused');
  }

  it('a paid order cancelled 31 days on: refunded in full, stock, sale and coupon back', async () => {
    const o = await paidOrder();
    await monthLater();
    expect((await post('/api/order/cancel', { id: o.order.id }, bearer(o.user.token))).status).toBe(200);
    await expectUndone(o, 'CANCELLED_BY_USER');
  });

  it('a return approved 31 days on: refunded in full, stock, sale and coupon back', async () => {
    const o = await paidOrder();
    const id = o.order.id as number;
    expect((await post('/api/order/ship', { id, carrier: 'SF Express', tracking_no: `TTL-${id}` }, admin)).status).toBe(200);
    expect((await post('/api/order/receive', { id }, bearer(o.user.token))).status).toBe(200);
    expect((await post('/api/order/refund', { id, reason: 'broken' }, bearer(o.user.token))).status).toBe(200);
    await monthLater();
    expect((await post('/api/order/refund/approve', { id, goods_returned: true }, admin)).status).toBe(200);
    await expectUndone(o, 'RETURNED');
  });
});
