import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, settledOrder } from './client';
import { awsEndpoint, eventsSettled, fireSchedule } from './local-cloud';
import { couponOf, signIn } from './order-helpers';
import { awaitingOrder, orderOf, paymentOf, productOf, refundedEvents } from './refund-helpers';

// The money and the stock under races between paying and cancelling: local cloud only (sandbox callback, clock).
describe.skipIf(!awsEndpoint)('refund races', () => {
  beforeAll(signIn);

  it('pay and cancel at once, many times: each order ends cancelled, refunded exactly once, stock, sales and coupon back', async () => {
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await awaitingOrder()); // placed one by one: the race is what follows
    await Promise.all(
      orders.flatMap(({ user, order, callback }) => [
        post('/api/pay/callback', callback, bearer(user.token)),
        post('/api/order/cancel', { id: order.id }, bearer(user.token)),
      ]),
    );
    for (const { user, order } of orders) expect(await settledOrder(user.token, order.id)).toMatchObject({ state: 'cancelled' });
    await eventsSettled();
    // A payment that lost to the cancel's close is refunded by the relay; one that won, by ClosePayment.
    await fireSchedule('Payments/RelaySchedule', new Date(Date.now() + 2 * 60_000));
    await eventsSettled();
    for (const { user, pid, coupon, order, paymentId } of orders) {
      const payment = await paymentOf(user.token, paymentId);
      expect(payment).toMatchObject({ state: 'refunded', refunded_amount: 2700 });
      expect(payment.refunds).toHaveLength(1);
      expect(await refundedEvents(order.id)).toHaveLength(1);
      expect(await orderOf(user.token, order.id)).toMatchObject({ state: 'cancelled', refund_state: 'refunded', refunded_amount: 2700 });
      expect(await productOf(pid)).toMatchObject({ stock: 20, sales: 0 });
      expect((await couponOf(user.token, coupon)).state).toBe('unused');
    }
  }, 240_000);
});
