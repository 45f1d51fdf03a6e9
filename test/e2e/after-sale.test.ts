import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin, settledOrder } from './client';
import { DAY } from './fulfilment-helpers';
import { awsEndpoint, eventsSettled, fireSchedule, injectFaults } from './local-cloud';
import { admin, couponOf, signIn } from './order-helpers';
import { orderOf, paidOrder, paymentOf, productOf, refundedEvents } from './refund-helpers';

// After-sale (issue 12): a buyer asks for a refund of a received order within the return window
// (7 days by default); an admin approves it (goods kept: a refund only; goods returned: the order
// undone like a cancel) or rejects it. The tests fire the sweeper and the relay with chosen times.
const sweepAt = (time: number) => fireSchedule('Orders/SweepSchedule', new Date(time));
const relayAt = (time: number) => fireSchedule('Payments/RelaySchedule', new Date(time));
const ask = (token: string, body: Record<string, unknown>) => post('/api/order/refund', body, bearer(token));
const approve = (id: number, goods_returned: boolean, as = admin) => post('/api/order/refund/approve', { id, goods_returned }, as);
const reject = (id: number, note: string) => post('/api/order/refund/reject', { id, note }, admin);

/** refund-helpers' paid order (2 units at 1500 with a 300 coupon: 2700 paid; stock 18, sales 2), shipped and received. */
async function receivedOrder() {
  const o = await paidOrder();
  const id = o.order.id as number;
  expect((await post('/api/order/ship', { id, carrier: 'SF Express', tracking_no: `AS-${id}` }, admin)).status).toBe(200);
  expect((await post('/api/order/receive', { id }, bearer(o.user.token))).body).toMatchObject({ state: 'received' });
  return { ...o, id };
}

describe.skipIf(!awsEndpoint)('after-sale: refunds asked for after receipt', () => {
  beforeAll(signIn);

  it('ask -> approve with the goods kept: the amount refunded, stock kept, the order completes when the window ends', async () => {
    const { user, id, pid, paymentId } = await receivedOrder();
    const other = await registerAndLogin();
    expect((await ask(other.token, { id, reason: 'not mine' })).body.code).toBe('ORDER_NOT_FOUND');
    expect((await ask(user.token, { id, reason: '' })).status).toBe(400);
    const tooMuch = await ask(user.token, { id, reason: 'scratched', amount: 2701 });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([400, 'REFUND_TOO_LARGE']);

    const asked = await ask(user.token, { id, reason: 'scratched', amount: 1000 });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({
      state: 'after_sale',
      status: 50,
      after_sale: { state: 'requested', reason: 'scratched', amount: 1000 },
    });
    const twice = await ask(user.token, { id, reason: 'scratched', amount: 1000 });
    expect([twice.status, twice.body.code]).toEqual([409, 'AFTER_SALE_EXISTS']);
    // The admin's queue: orders in after-sale.
    const queue = await get('/api/order/admin/list', { state: 'after_sale', ps: '50' }, admin);
    expect(queue.body.orders.map((o: { id: number }) => o.id)).toContain(id);
    // Only an admin decides; the sweeper does not complete an order in after-sale.
    expect((await approve(id, false, bearer(user.token))).status).toBe(403);
    await sweepAt(Date.now() + 8 * DAY);
    expect(await orderOf(user.token, id)).toMatchObject({ state: 'after_sale' });

    const approved = await approve(id, false);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ state: 'received', after_sale: { state: 'approved', goods_returned: false, amount: 1000 } });
    await eventsSettled();
    expect(await orderOf(user.token, id)).toMatchObject({ state: 'received', refund_state: 'partial', refunded_amount: 1000 });
    const payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ refunded_amount: 1000 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({ id: `return-${id}`, amount: 1000, reason: 'AFTER_SALE', state: 'succeeded' }),
    ]);
    expect(await productOf(pid)).toMatchObject({ stock: 18, sales: 2 });

    // The same approval again: the same answer, no second refund; the other decisions are refused.
    expect((await approve(id, false)).body).toMatchObject({ state: 'received', after_sale: { state: 'approved' } });
    expect((await approve(id, true)).body.code).toBe('REFUND_ALREADY_DECIDED');
    expect((await reject(id, 'too late')).body.code).toBe('REFUND_ALREADY_DECIDED');
    await eventsSettled();
    expect((await paymentOf(user.token, paymentId)).refunds).toHaveLength(1);
    expect(await refundedEvents(id)).toHaveLength(1);

    await sweepAt(Date.now() + 8 * DAY);
    expect(await orderOf(user.token, id)).toMatchObject({ state: 'completed', refunded_amount: 1000 });
  });

  it('approve with the goods returned: refunded in full, stock and sales back, coupon back, the order cancelled RETURNED', async () => {
    const { user, id, pid, coupon, paymentId } = await receivedOrder();
    expect((await ask(user.token, { id, reason: 'wrong size' })).body.after_sale).toMatchObject({ amount: 2700 });
    const approved = await approve(id, true);
    expect(approved.body).toMatchObject({
      state: 'cancelling',
      reason: 'RETURNED',
      after_sale: { state: 'approved', goods_returned: true },
    });
    expect(await settledOrder(user.token, id)).toMatchObject({ state: 'cancelled', reason: 'RETURNED' });
    await eventsSettled();
    expect(await orderOf(user.token, id)).toMatchObject({ refund_state: 'refunded', refunded_amount: 2700 });
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
    expect((await couponOf(user.token, coupon)).state).toBe('unused');
    const payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(payment.refunds).toEqual([expect.objectContaining({ id: `order-${id}-close`, amount: 2700, reason: 'RETURNED' })]);
    // Approved again: nothing more.
    expect((await approve(id, true)).body).toMatchObject({ state: 'cancelled' });
    await eventsSettled();
    expect(await refundedEvents(id)).toHaveLength(1);
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
  });

  it('reject: the order is received again and completes with its window; it cannot be asked again', async () => {
    const { user, id, paymentId } = await receivedOrder();
    await ask(user.token, { id, reason: 'changed my mind' });
    const rejected = await reject(id, 'opened and used');
    expect(rejected.body).toMatchObject({ state: 'received', after_sale: { state: 'rejected', note: 'opened and used' } });
    expect((await reject(id, 'opened and used')).body).toMatchObject({ after_sale: { state: 'rejected' } });
    expect((await approve(id, false)).body.code).toBe('REFUND_ALREADY_DECIDED');
    expect((await ask(user.token, { id, reason: 'please' })).body.code).toBe('AFTER_SALE_EXISTS');
    expect((await paymentOf(user.token, paymentId)).refunds).toBeUndefined();
    await sweepAt(Date.now() + 8 * DAY);
    expect(await orderOf(user.token, id)).toMatchObject({ state: 'completed', after_sale: { state: 'rejected' } });
  });

  it('refused: before receipt, after the window, and a decision on an order nobody asked about', async () => {
    const paid = await paidOrder();
    const early = await ask(paid.user.token, { id: paid.order.id, reason: 'not here yet' });
    expect([early.status, early.body.code]).toEqual([409, 'ORDER_NOT_RECEIVED']);
    expect((await approve(paid.order.id, false)).body.code).toBe('NO_REFUND_REQUESTED');
    expect((await approve(999_999_999, false)).status).toBe(404);

    const { user, id } = await receivedOrder();
    await sweepAt(Date.now() + 8 * DAY); // the window ends: completed
    const late = await ask(user.token, { id, reason: 'too late' });
    expect([late.status, late.body.code]).toEqual([409, 'RETURN_WINDOW_CLOSED']);
  });

  it('races: two approvals at once make one refund; an approval racing a rejection, one decision', async () => {
    const a = await receivedOrder();
    await ask(a.user.token, { id: a.id, reason: 'broken' });
    const both = await Promise.all([approve(a.id, false), approve(a.id, false), approve(a.id, false)]);
    expect(both.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventsSettled();
    const payment = await paymentOf(a.user.token, a.paymentId);
    expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(payment.refunds).toHaveLength(1);
    expect(await refundedEvents(a.id)).toHaveLength(1);

    const b = await receivedOrder();
    await ask(b.user.token, { id: b.id, reason: 'broken' });
    const [approval, rejection] = await Promise.all([approve(b.id, false), reject(b.id, 'no')]);
    expect([approval.status, rejection.status].sort()).toEqual([200, 409]);
    await eventsSettled();
    const decided = await orderOf(b.user.token, b.id);
    const refunds = (await paymentOf(b.user.token, b.paymentId)).refunds ?? [];
    expect(refunds).toHaveLength(decided.after_sale.state === 'approved' ? 1 : 0);
  });

  it('the provider failing transiently: the approval answers, the refund is pending, the relay finishes it', async () => {
    const { user, id, paymentId } = await receivedOrder();
    await ask(user.token, { id, reason: 'broken' });
    await relayAt(Date.now() + 60 * 60_000); // finish what earlier tests left, so the faults meet this refund
    await injectFaults('Payments/SandboxRefund', 2);
    expect((await approve(id, false)).body).toMatchObject({ state: 'received', refund_state: 'pending', refunded_amount: 0 });
    expect((await paymentOf(user.token, paymentId)).refunds).toEqual([expect.objectContaining({ id: `return-${id}`, state: 'pending' })]);
    await relayAt(Date.now() + 2 * 60_000); // the provider fails again
    await relayAt(Date.now() + 3 * 60_000);
    await eventsSettled();
    expect(await orderOf(user.token, id)).toMatchObject({ refund_state: 'refunded', refunded_amount: 2700 });
    expect(await refundedEvents(id)).toHaveLength(1);
  });
});
