import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, type Reply, registerAndLogin, settledOrder } from './client';
import { archivedEvents, awsEndpoint, eventsSettled, fireSchedule, refuseEvents } from './local-cloud';
import { createProduct, signIn } from './order-helpers';

// The payment outbox end to end: the bus refuses PaymentSucceeded while a payment is paid; the
// relay's schedule delivers it later, once.

const MINUTE = 60_000;

beforeAll(signIn);

describe.skipIf(!awsEndpoint)("the payment outbox relay (needs the local cloud's bus failures and schedules)", () => {
  it('a payment paid while the bus refuses its event: answered 200 paid, the order paid by the relay, the event put once', async () => {
    const user = await registerAndLogin('Outbox');
    const pid = await createProduct({ stock: 10 });
    const created = await post('/api/order/create', { pid, num: 1 }, bearer(user.token));
    const order = await settledOrder(user.token, created.body.id);
    expect(order.state).toBe('awaiting_payment');
    const pay = await post('/api/pay/create', { oid: order.id, amount: order.amount }, bearer(user.token));
    const callback = { id: pay.body.id, uid: user.id, oid: order.id, amount: order.amount, source: 1, status: 1 };
    const published = async () =>
      (await archivedEvents()).filter((e) => e['detail-type'] === 'PaymentSucceeded' && e.detail.orderId === order.id);

    await refuseEvents(1);
    let paid: Reply;
    try {
      paid = await post('/api/pay/callback', callback, bearer(user.token));
    } finally {
      await refuseEvents(0); // never leak the outage into other tests
    }
    // The payment is durably recorded and the outbox will deliver: not a 5xx the provider would retry.
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ id: pay.body.id, state: 'paid' });
    await eventsSettled();
    expect(await published()).toEqual([]);
    const detail = async () => (await post('/api/order/detail', { id: order.id }, bearer(user.token))).body;
    expect(await detail()).toMatchObject({ state: 'awaiting_payment' });

    await fireSchedule('Payments/RelaySchedule', new Date()); // within the grace: left to the callback
    await eventsSettled();
    expect(await published()).toEqual([]);
    await fireSchedule('Payments/RelaySchedule', new Date(Date.now() + 5 * MINUTE));
    await eventsSettled();
    expect(await detail()).toMatchObject({ state: 'paid' });
    expect(await published()).toHaveLength(1);

    await fireSchedule('Payments/RelaySchedule', new Date(Date.now() + 10 * MINUTE)); // delivered: not again
    expect((await post('/api/pay/callback', callback, bearer(user.token))).body).toMatchObject({ state: 'paid' });
    await eventsSettled();
    expect(await published()).toHaveLength(1);
  });
});
