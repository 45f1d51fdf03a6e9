import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, eventsSettled, invokeDirectly } from './local-cloud';
import { admin, createProduct, order, signIn, stockOf } from './order-helpers';

// Stock and sales stay right through the saga's edge cases: a shard count lowered while stock is
// reserved, an order too spread for one transaction, and a payment that arrives after a cancel.

beforeAll(signIn);

const salesOf = async (id: number) => (await post('/api/product/detail', { id }, admin)).body.sales as number;
const cancel = async (token: string, id: number) => {
  expect((await post('/api/order/cancel', { id }, bearer(token))).status).toBe(200);
  return settledOrder(token, id);
};

describe('lowering stock_shards while stock is reserved', () => {
  it('gives the reservation back in full when the order is cancelled', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 8, stock_shards: 4 });
    const placed = await order(user.token, { pid, num: 8 }); // takes from every shard
    expect(await settledOrder(user.token, placed.id)).toMatchObject({ state: 'awaiting_payment' });
    expect(await post('/api/product/update', { id: pid, stock_shards: 1 }, admin)).toEqual({ status: 200, body: {} });
    expect(await stockOf(pid)).toBe(0);

    expect(await cancel(user.token, placed.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    expect(await stockOf(pid)).toBe(8);
    // And nothing was left behind in the removed shards: raising the count again keeps the total.
    expect(await post('/api/product/update', { id: pid, stock_shards: 4 }, admin)).toEqual({ status: 200, body: {} });
    expect(await stockOf(pid)).toBe(8);
  });
});

describe('an order whose stock is spread over more shards than one transaction takes', () => {
  it('is cancelled with STOCK_TOO_SPREAD and reserves nothing; a smaller one goes through', async () => {
    const user = await registerAndLogin();
    // 20 lines x 8 shards holding one each: 160 shard writes, over DynamoDB's 100 per transaction
    // (and 160 units, within the order limits).
    const pids: number[] = [];
    for (let i = 0; i < 20; i++) pids.push(await createProduct({ stock: 8, stock_shards: 8, amount: 100 }));
    const spread = await order(user.token, { items: pids.map((pid) => ({ pid, num: 8 })) });
    expect(await settledOrder(user.token, spread.id)).toMatchObject({ state: 'cancelled', reason: 'STOCK_TOO_SPREAD' });
    for (const pid of pids) expect(await stockOf(pid)).toBe(8);

    // 60 writes, within the 79 that 20 products leave (100 less the barrier and their sales).
    const fits = await order(user.token, { items: pids.map((pid) => ({ pid, num: 3 })) });
    expect(await settledOrder(user.token, fits.id)).toMatchObject({ state: 'awaiting_payment' });
    for (const pid of pids) expect(await stockOf(pid)).toBe(5);
  });
});

describe('a PaymentSucceeded that arrives after the order was cancelled', () => {
  const paymentSucceeded = (o: { id: number; uid: number; payment_id: number; total: number }) => ({
    version: '0',
    id: `late-${o.id}`,
    source: 'mall.pay',
    'detail-type': 'PaymentSucceeded',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: { version: 1, paymentId: o.payment_id, orderId: o.id, uid: o.uid, amount: o.total, paidAt: Date.now() },
  });

  // Delivers the event by invoking the consumer directly: the local cloud's hook.
  it.skipIf(!awsEndpoint)('counts no sale for the released stock (while one before the cancel would)', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 5, stock_shards: 2 });
    const kept = await settledOrder(user.token, (await order(user.token, { pid, num: 1 })).id);
    const cancelled = await settledOrder(user.token, (await order(user.token, { pid, num: 2 })).id);
    expect(await cancel(user.token, cancelled.id)).toMatchObject({ state: 'cancelled' });
    await eventsSettled();
    expect(await stockOf(pid)).toBe(4);

    expect(await invokeDirectly('Products/OnPaymentSucceeded', paymentSucceeded(cancelled))).toEqual({ outcome: 'released' });
    expect(await salesOf(pid)).toBe(0);
    expect(await stockOf(pid)).toBe(4);

    expect(await invokeDirectly('Products/OnPaymentSucceeded', paymentSucceeded(kept))).toEqual({ outcome: 'confirmed' });
    expect(await salesOf(pid)).toBe(1);
  });
});
