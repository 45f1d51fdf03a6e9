import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './catalog-helpers';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, fireSchedule } from './local-cloud';
import { admin, createProduct, order, signIn, statusTally, stockOf } from './order-helpers';

// What one account may hold (the local stage's defaults, infra/config.ts orderLimits): 10 unpaid
// orders, 99 units of a product and 200 units per order; flash-sale orders are paid within 5 minutes.

beforeAll(signIn);

const refused = async (token: string, body: Record<string, unknown>, status: number, code: string) =>
  expectError(await post('/api/order/create', body, bearer(token)), status, code);

describe('order limits', () => {
  it('refuses more than 99 units of a product (also split over lines) and more than 200 units per order', async () => {
    const user = await registerAndLogin();
    const a = await createProduct({ stock: 500 });
    const b = await createProduct({ stock: 500 });
    const c = await createProduct({ stock: 500 });
    const lines = (...nums: Array<[number, number]>) => ({ items: nums.map(([pid, num]) => ({ pid, num })) });
    for (const body of [
      { pid: a, num: 100 },
      lines([a, 60], [b, 1], [a, 40]), // 100 of a, over two lines
      lines([a, 99], [b, 99], [c, 3]), // 201 in all
    ]) {
      await refused(user.token, body, 400, 'TOO_MANY_UNITS');
    }
    expect(await stockOf(a)).toBe(500);
    await order(user.token, lines([a, 99], [b, 99], [c, 2]));
  });

  it('refuses an 11th unpaid order with 409 TOO_MANY_OPEN_ORDERS, and accepts one again once an order is cancelled', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 100 });
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await order(user.token, { pid })).id);
    await refused(user.token, { pid }, 409, 'TOO_MANY_OPEN_ORDERS');
    expect(await settledOrder(user.token, ids[0]!)).toMatchObject({ state: 'awaiting_payment' });
    await refused(user.token, { pid }, 409, 'TOO_MANY_OPEN_ORDERS');
    expect((await post('/api/order/cancel', { id: ids[0] }, bearer(user.token))).status).toBe(200);
    expect(await settledOrder(user.token, ids[0]!)).toMatchObject({ state: 'cancelled' });
    ids[0] = (await order(user.token, { pid })).id;
    for (const id of ids) expect(await settledOrder(user.token, id)).toMatchObject({ state: 'awaiting_payment' });
    expect(await stockOf(pid)).toBe(90);
  });

  it('lets no more than 10 of 16 simultaneous orders from one account through, with Idempotency-Keys or without', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 100 });
    const replies = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        post('/api/order/create', { pid }, { ...bearer(user.token), ...(i % 2 ? { 'Idempotency-Key': `burst-${i}` } : {}) }),
      ),
    );
    expect(statusTally(replies)).toEqual({ '200': 10, '409 TOO_MANY_OPEN_ORDERS': 6 });
    for (const r of replies.filter((r) => r.status === 200)) {
      expect(await settledOrder(user.token, r.body.id)).toMatchObject({ state: 'awaiting_payment' });
    }
    expect(await stockOf(pid)).toBe(90);
  });
});

describe.skipIf(!awsEndpoint)("flash sale payment window (needs the local cloud's schedules)", () => {
  it('an order of a flash-sale product is closed after 5 minutes unpaid; an ordinary order still awaits payment', async () => {
    const user = await registerAndLogin();
    const flash = await createProduct({ stock: 10 });
    const ordinary = await createProduct({ stock: 10 });
    const sale = await post('/api/home/flashsale/set', { start_time: Math.floor(Date.now() / 1000) - 60, product_ids: [flash] }, admin);
    expect(sale.status).toBe(200);
    const fast = await order(user.token, { pid: flash, num: 2 });
    const slow = await order(user.token, { pid: ordinary, num: 2 });
    expect(await settledOrder(user.token, fast.id)).toMatchObject({ state: 'awaiting_payment' });
    expect(await settledOrder(user.token, slow.id)).toMatchObject({ state: 'awaiting_payment' });

    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + 6 * 60_000));
    expect(await settledOrder(user.token, fast.id)).toMatchObject({ state: 'cancelled', reason: 'PAYMENT_TIMEOUT' });
    expect((await post('/api/order/detail', { id: slow.id }, bearer(user.token))).body.state).toBe('awaiting_payment');
    expect(await stockOf(flash)).toBe(10);
    await post('/api/home/flashsale/set', { start_time: Math.floor(Date.now() / 1000) + 86_400, product_ids: [] }, admin);
  });
});
