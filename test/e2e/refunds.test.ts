import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, eventsSettled, fireSchedule, injectFaults } from './local-cloud';
import { admin, couponOf, signIn } from './order-helpers';
import { awaitingOrder, orderOf, paidOrder, paymentOf, productOf, refundedEvents } from './refund-helpers';

const MINUTE = 60_000;
const relay = (minutesAhead: number) => fireSchedule('Payments/RelaySchedule', new Date(Date.now() + minutesAhead * MINUTE));

// Refunds go to the sandbox provider and the tests move the local cloud's clock: local cloud only.
describe.skipIf(!awsEndpoint)('refunds: a paid order cancelled before shipping', () => {
  beforeAll(signIn);

  it('order -> pay -> cancel: refunded with the provider reference, stock and sales back, coupon unused, one Refunded', async () => {
    const { user, pid, coupon, order, paymentId } = await paidOrder();
    const other = await registerAndLogin();
    expect((await post('/api/order/cancel', { id: order.id }, bearer(other.token))).status).toBe(404);

    const cancel = await post('/api/order/cancel', { id: order.id }, bearer(user.token));
    expect(cancel.body).toEqual({ id: order.id, state: 'cancelling', status: 9 });
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    await eventsSettled();

    expect(await orderOf(user.token, order.id)).toMatchObject({ state: 'cancelled', refund_state: 'refunded', refunded_amount: 2700 });
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
    expect((await couponOf(user.token, coupon)).state).toBe('unused');
    const payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refunded', status: 3, amount: 2700, refunded_amount: 2700 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({ id: `order-${order.id}-close`, amount: 2700, reason: 'CANCELLED_BY_USER', state: 'succeeded' }),
    ]);
    expect(payment.refunds[0].reference).toMatch(/^sbx_re_[0-9a-f]{20}$/);
    const events = await refundedEvents(order.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({
      version: 1,
      paymentId,
      amount: 2700,
      refundedTotal: 2700,
      reference: payment.refunds[0].reference,
    });
    expect((await post('/api/pay/detail', { id: paymentId }, bearer(other.token))).status).toBe(404);

    // Cancelling again changes nothing: same answer, no second refund.
    expect((await post('/api/order/cancel', { id: order.id }, bearer(user.token))).body).toMatchObject({ state: 'cancelled' });
    await eventsSettled();
    expect((await paymentOf(user.token, paymentId)).refunds).toHaveLength(1);
    expect(await refundedEvents(order.id)).toHaveLength(1);
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
  });

  it('two cancels of one paid order at once: one cancel run, one refund', async () => {
    const { user, pid, order, paymentId } = await paidOrder();
    const replies = await Promise.all([1, 2, 3].map(() => post('/api/order/cancel', { id: order.id }, bearer(user.token))));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled' });
    await eventsSettled();
    const payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(payment.refunds).toHaveLength(1);
    expect(await refundedEvents(order.id)).toHaveLength(1);
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
  });

  it('the provider failing for a while: the refund stays pending, the relay retries it until it answers, exactly once', async () => {
    const { user, pid, order, paymentId } = await paidOrder();
    // The relay retries every unfinished refund, oldest first: finish those earlier files left, so
    // that the faults below meet this test's refund and no other.
    await relay(60);
    await injectFaults('Payments/SandboxRefund', 2); // ClosePayment's own try and the relay's first
    await post('/api/order/cancel', { id: order.id }, bearer(user.token));
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    await eventsSettled();
    // The other compensations did not wait for the provider.
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
    expect(await orderOf(user.token, order.id)).toMatchObject({ refund_state: 'pending', refunded_amount: 0 });
    let payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refund_needed', refunded_amount: 0, refunds: [expect.objectContaining({ state: 'pending' })] });

    await relay(0); // within the grace: left alone
    await relay(2); // the provider fails again
    expect((await paymentOf(user.token, paymentId)).refunds[0].state).toBe('pending');
    await relay(3);
    await eventsSettled();
    payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(payment.refunds).toHaveLength(1);
    expect(await orderOf(user.token, order.id)).toMatchObject({ refund_state: 'refunded', refunded_amount: 2700 });
    await relay(4); // finished: nothing more
    await eventsSettled();
    expect(await refundedEvents(order.id)).toHaveLength(1);
  });

  it('a payment that succeeds after its order was closed (refund_needed) is refunded by the relay', async () => {
    const { user, pid, order, paymentId, callback } = await awaitingOrder();
    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + 31 * MINUTE));
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'PAYMENT_TIMEOUT' });
    const late = await post('/api/pay/callback', callback, bearer(user.token));
    expect(late.body).toMatchObject({ state: 'refund_needed', status: 2, refunded_amount: 0 });
    await relay(2);
    await eventsSettled();
    const payment = await paymentOf(user.token, paymentId);
    expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
    expect(payment.refunds).toEqual([expect.objectContaining({ id: `late-pay-${paymentId}`, reason: 'LATE_PAYMENT', state: 'succeeded' })]);
    expect(await orderOf(user.token, order.id)).toMatchObject({ state: 'cancelled', reason: 'PAYMENT_TIMEOUT', refund_state: 'refunded' });
    expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
    // The same callback again asks for nothing more.
    await post('/api/pay/callback', callback, bearer(user.token));
    await relay(3);
    await eventsSettled();
    expect((await paymentOf(user.token, paymentId)).refunds).toHaveLength(1);
    expect(await refundedEvents(order.id)).toHaveLength(1);
  });

  it("the operator's routes for refunds flagged after the retry bound: admin only; one not flagged is not re-queued", async () => {
    const { user, order } = await paidOrder();
    await post('/api/order/cancel', { id: order.id }, bearer(user.token));
    expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled' });
    const flagged = await get('/api/pay/refunds/flagged', {}, admin);
    expect(flagged.status).toBe(200);
    expect(flagged.body.refunds.filter((r: { payment_id: number }) => r.payment_id === order.id)).toEqual([]);
    expect((await get('/api/pay/refunds/flagged', {}, bearer(user.token))).status).toBe(403);
    const requeue = (body: object, headers = admin) => post('/api/pay/refunds/requeue', body, headers);
    const refund = { payment_id: order.id, refund_id: `order-${order.id}-close` };
    expect((await requeue(refund, bearer(user.token))).status).toBe(403);
    expect(await requeue(refund)).toMatchObject({ status: 409, body: { code: 'REFUND_NOT_FLAGGED' } });
    expect(await requeue({ ...refund, refund_id: 'no-such-refund' })).toMatchObject({ status: 404, body: { code: 'REFUND_NOT_FOUND' } });
    expect((await requeue({ ...refund, refund_id: 'Not An Id' })).status).toBe(400);
  });
});
