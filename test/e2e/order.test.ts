import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin, settledOrder } from './client';
import { admin, couponOf, createProduct, issueCoupon, order, signIn, stockOf } from './order-helpers';

// Orders over real HTTP (placing, failing, cancelling, reading and changing orders); see order-helpers.ts.

beforeAll(signIn);

describe("order creation (the saga's happy path)", () => {
  it("answers the saga's outcome, awaiting payment, and the order reads the same", async () => {
    const user = await registerAndLogin('Buyer');
    const pid = await createProduct({ amount: 1250, stock: 10 });
    const created = await order(user.token, { uid: user.id, pid, num: 3, amount: 3750, status: 0 });
    // go-zero-mall's 0: placed, unpaid; the saga's outcome is in the answer (order-outcome.test.ts).
    expect(created).toEqual({ id: expect.any(Number), state: 'awaiting_payment', status: 0, amount: 3750, payment_id: expect.any(Number) });
    const done = await settledOrder(user.token, created.id);
    expect(done).toMatchObject({
      id: created.id,
      uid: user.id,
      pid,
      amount: 3750,
      total: 3750,
      discount: 0,
      state: 'awaiting_payment',
      status: 0,
    });
    expect(done.items).toEqual([{ pid, name: 'Saga item', price: 1250, num: 3 }]);
    expect(done.payment_id).toBe(created.payment_id);
    expect(await stockOf(pid)).toBe(7);
  });

  it('prices several items with a coupon, and uses the coupon', async () => {
    const user = await registerAndLogin();
    const [a, b] = [await createProduct({ amount: 1000 }), await createProduct({ amount: 250, stock_shards: 3 })];
    const coupon = await issueCoupon(user.id, { value: 400, min_spend: 1500 });
    const created = await order(user.token, {
      items: [
        { pid: a, num: 1 },
        { pid: b, num: 4 },
      ],
      couponId: coupon,
      amount: 1600,
    });
    const done = await settledOrder(user.token, created.id);
    expect(done).toMatchObject({ state: 'awaiting_payment', total: 2000, discount: 400, amount: 1600, coupon_id: coupon });
    expect([await stockOf(a), await stockOf(b)]).toEqual([99, 96]);
    expect(await couponOf(user.token, coupon)).toMatchObject({ state: 'used', order_id: created.id });
  });

  it("refuses a client amount that disagrees with the server's, and a uid that is not the caller's", async () => {
    const user = await registerAndLogin();
    const other = await registerAndLogin();
    const pid = await createProduct({ amount: 999 });
    const wrong = await post('/api/order/create', { pid, num: 2, amount: 1000 }, bearer(user.token));
    expect(wrong).toMatchObject({ status: 400, body: { code: 'AMOUNT_MISMATCH' } });
    expect(wrong.body.message).toContain('1998');
    const foreign = await post('/api/order/create', { uid: other.id, pid }, bearer(user.token));
    expect(foreign).toMatchObject({ status: 403, body: { code: 'UID_MISMATCH' } });
    expect(await stockOf(pid)).toBe(100);
  });

  it('returns the same order for a retried request with the same Idempotency-Key', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct();
    const key = { 'Idempotency-Key': `checkout-${randomInt(1e9)}` };
    const replies = await Promise.all([1, 2, 3].map(() => post('/api/order/create', { pid, num: 2 }, { ...bearer(user.token), ...key })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    await settledOrder(user.token, replies[0]!.body.id);
    expect(await stockOf(pid)).toBe(98); // one order, one reservation
    const again = await post('/api/order/create', { pid, num: 2 }, { ...bearer(user.token), ...key });
    expect(again.body).toMatchObject({ id: replies[0]!.body.id, state: 'awaiting_payment' });
    const reused = await post('/api/order/create', { pid, num: 5 }, { ...bearer(user.token), ...key });
    expect(reused).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('takes ordered items out of the cart when the order succeeds', async () => {
    const user = await registerAndLogin();
    const [a, b] = [await createProduct(), await createProduct()];
    await post('/api/cart/add', { product_id: a, count: 2 }, bearer(user.token));
    await post('/api/cart/add', { product_id: b, count: 1 }, bearer(user.token));
    const created = await order(user.token, { items: [{ pid: a, num: 2 }], fromCart: true });
    expect((await settledOrder(user.token, created.id)).state).toBe('awaiting_payment');
    const deadline = Date.now() + 10_000;
    let cart: number[] = [];
    do {
      cart = (await get('/api/cart/list', {}, bearer(user.token))).body.products.map((p: any) => p.product.id);
    } while (cart.includes(a) && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 100))) === undefined);
    expect(cart).toEqual([b]);
  });
});

describe('business failures cancel the order with a reason and leave nothing reserved', () => {
  it('insufficient stock', async () => {
    const user = await registerAndLogin();
    const [plenty, scarce] = [await createProduct({ stock: 50 }), await createProduct({ stock: 2, stock_shards: 2 })];
    const created = await order(user.token, {
      items: [
        { pid: plenty, num: 5 },
        { pid: scarce, num: 3 },
      ],
    });
    expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'cancelled', status: 9, reason: 'INSUFFICIENT_STOCK' });
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([50, 2]);
  });

  it('a product taken off sale', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ status: 2 });
    const created = await order(user.token, { pid });
    expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'cancelled', reason: 'PRODUCT_UNAVAILABLE' });
  });

  it('a used, expired, foreign or below-minimum coupon, with the stock released', async () => {
    const user = await registerAndLogin();
    const other = await registerAndLogin();
    const pid = await createProduct({ amount: 1000, stock: 20 });
    const used = await issueCoupon(user.id);
    expect((await settledOrder(user.token, (await order(user.token, { pid, couponId: used })).id)).state).toBe('awaiting_payment');
    const cases: Array<[number, string]> = [
      [used, 'COUPON_USED'],
      [await issueCoupon(user.id, { expires_at: Math.floor(Date.now() / 1000) - 60 }), 'COUPON_EXPIRED'],
      [await issueCoupon(other.id), 'COUPON_INVALID'],
      [await issueCoupon(user.id, { min_spend: 5000 }), 'COUPON_MIN_SPEND_NOT_MET'],
    ];
    for (const [couponId, reason] of cases) {
      const created = await order(user.token, { pid, num: 2, couponId });
      expect(await settledOrder(user.token, created.id), reason).toMatchObject({ state: 'cancelled', reason });
    }
    expect(await stockOf(pid)).toBe(19); // only the first order holds stock
    expect(await couponOf(other.token, cases[2]![0])).toMatchObject({ state: 'unused' });
  });
});

describe('cancel by the owner before payment', () => {
  it('releases the stock and the coupon', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 10 });
    const coupon = await issueCoupon(user.id);
    const created = await order(user.token, { pid, num: 4, couponId: coupon });
    await settledOrder(user.token, created.id);
    expect(await stockOf(pid)).toBe(6);
    const other = await registerAndLogin();
    expect((await post('/api/order/cancel', { id: created.id }, bearer(other.token))).status).toBe(404);
    const cancel = await post('/api/order/cancel', { id: created.id }, bearer(user.token));
    expect(cancel.body).toMatchObject({ id: created.id, state: 'cancelling' });
    expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    expect(await stockOf(pid)).toBe(10);
    expect(await couponOf(user.token, coupon)).toMatchObject({ state: 'unused' });
    expect((await post('/api/order/cancel', { id: created.id }, bearer(user.token))).body.state).toBe('cancelled');
  });
});

describe('who sees and changes what', () => {
  it('shows users only their own orders; admins any', async () => {
    const [alice, bob] = [await registerAndLogin('Alice'), await registerAndLogin('Bob')];
    const pid = await createProduct();
    const created = await order(alice.token, { pid });
    expect((await post('/api/order/detail', { id: created.id }, bearer(bob.token))).status).toBe(404);
    expect((await post('/api/order/detail', { id: created.id }, admin)).body.uid).toBe(alice.id);
    expect((await post('/api/order/list', { uid: alice.id }, bearer(bob.token))).status).toBe(403);
    expect((await post('/api/order/list', {}, bearer(bob.token))).body).toEqual([]);
    expect((await post('/api/order/list', { uid: alice.id }, admin)).body.map((o: any) => o.id)).toEqual([created.id]);
  });

  it('lists newest first in pages, hides removed orders, and removes only finished ones', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 3 });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await order(user.token, { pid })).id);
    for (const id of ids) await settledOrder(user.token, id);
    const first = (await post('/api/order/list', { ps: 2 }, bearer(user.token))).body;
    const second = (await post('/api/order/list', { ps: 2, cursor: first.at(-1).cursor }, bearer(user.token))).body;
    const third = (await post('/api/order/list', { ps: 2, cursor: second.at(-1).cursor }, bearer(user.token))).body;
    expect([...first, ...second, ...third].map((o: any) => o.id)).toEqual([...ids].reverse());
    const states = Object.fromEntries([...first, ...second, ...third].map((o: any) => [o.id, o.state]));
    const cancelled = ids.filter((id) => states[id] === 'cancelled');
    const awaiting = ids.filter((id) => states[id] === 'awaiting_payment');
    expect([cancelled.length, awaiting.length]).toEqual([2, 3]);
    expect(await post('/api/order/remove', { id: awaiting[0] }, bearer(user.token))).toMatchObject({
      status: 409,
      body: { code: 'ORDER_NOT_FINISHED' },
    });
    expect((await post('/api/order/remove', { id: cancelled[0] }, bearer(user.token))).status).toBe(200);
    const listed = (await post('/api/order/list', {}, bearer(user.token))).body.map((o: any) => o.id);
    expect(listed).not.toContain(cancelled[0]);
    expect(listed).toHaveLength(4);
  });

  it('lets only an admin update an order, and never its money or state', async () => {
    const user = await registerAndLogin();
    const created = await order(user.token, { pid: await createProduct({ amount: 700 }) });
    await settledOrder(user.token, created.id);
    expect((await post('/api/order/update', { id: created.id, remark: 'x' }, bearer(user.token))).status).toBe(403);
    expect((await post('/api/order/update', { id: created.id, remark: 'gift wrap' }, admin)).status).toBe(200);
    expect(await post('/api/order/update', { id: created.id, amount: 1 }, admin)).toMatchObject({
      status: 409,
      body: { code: 'FIELD_MANAGED_BY_SAGA' },
    });
    expect((await post('/api/order/update', { id: created.id, amount: 700 }, admin)).status).toBe(200); // unchanged is fine
    expect((await post('/api/order/detail', { id: created.id }, bearer(user.token))).body).toMatchObject({
      remark: 'gift wrap',
      amount: 700,
    });
  });

  it('answers bad input with 4xx, never 5xx', async () => {
    const user = await registerAndLogin();
    const auth = bearer(user.token);
    for (const body of [
      '{',
      {},
      { pid: 'x' },
      { pid: 1, items: [{ pid: 1 }] },
      { items: [] },
      { pid: 1, num: 0 },
      { pid: 1, num: 1000 },
      { items: Array.from({ length: 21 }, () => ({ pid: 1 })) },
      { pid: 1, couponId: -1 },
    ]) {
      const reply = await post('/api/order/create', body, auth);
      expect(reply.status, JSON.stringify(body)).toBe(400);
    }
    expect((await post('/api/order/create', { pid: 987_654_321 }, auth)).body.code).toBe('PRODUCT_NOT_FOUND');
    expect((await post('/api/order/create', { pid: 1 }, { ...auth, 'Idempotency-Key': 'bad key!' })).body.code).toBe(
      'INVALID_IDEMPOTENCY_KEY',
    );
    expect((await post('/api/order/detail', { id: 'one' }, auth)).status).toBe(400);
  });
});
