import { beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer, get, post, registerAndLogin } from './client';

let admin: Record<string, string>;

beforeAll(async () => {
  admin = await asAdmin();
});

async function createProduct(fields: Record<string, unknown> = {}): Promise<number> {
  const reply = await post(
    '/api/product/create',
    { name: 'Cart item', stock: 50, amount: 1999, status: 1, category: 'cart-tests', ...fields },
    admin,
  );
  expect(reply.status).toBe(200);
  return reply.body.id;
}

/** Runs `task` for every input, at most `width` at a time. */
async function inBatches<T, R>(inputs: T[], width: number, task: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < inputs.length; i += width) results.push(...(await Promise.all(inputs.slice(i, i + width).map(task))));
  return results;
}

describe('cart', () => {
  it('adds, adds again (counts add up), changes the count, removes, and lists newest first with current price and stock', async () => {
    const user = await registerAndLogin('Shopper');
    const auth = bearer(user.token);
    const [a, b] = [await createProduct({ amount: 500, stock: 9 }), await createProduct({ amount: 700 })];

    expect(await post('/api/cart/add', { product_id: a, count: 2 }, auth)).toEqual({ status: 200, body: { product_id: a, count: 2 } });
    expect((await post('/api/cart/add', { product_id: a }, auth)).body).toEqual({ product_id: a, count: 3 });
    expect((await post('/api/cart/add', { product_id: b, count: 1 }, auth)).body).toEqual({ product_id: b, count: 1 });
    expect((await post('/api/cart/update', { product_id: b, count: 4 }, auth)).body).toEqual({ product_id: b, count: 4 });

    await post('/api/product/update', { id: a, amount: 450, stock: 6 }, admin); // the cart shows current values
    const list = await get('/api/cart/list', {}, auth);
    expect(list.status).toBe(200);
    expect(list.body.products.map((p: any) => [p.product.id, p.count, p.available])).toEqual([
      [b, 4, true],
      [a, 3, true],
    ]);
    expect(list.body.products[1].product).toMatchObject({ id: a, price: 450, stock: 6, name: 'Cart item' });

    expect((await post('/api/cart/remove', { product_id: b }, auth)).status).toBe(200);
    expect((await post('/api/cart/remove', { product_id: b }, auth)).status).toBe(200); // removing again changes nothing
    expect((await get('/api/cart/list', {}, auth)).body.products.map((p: any) => p.product.id)).toEqual([a]);
  });

  it('shows each user only their own cart', async () => {
    const [alice, bob] = await Promise.all([registerAndLogin('Alice'), registerAndLogin('Bob')]);
    const product = await createProduct();
    await post('/api/cart/add', { product_id: product, count: 1 }, bearer(alice.token));
    expect((await get('/api/cart/list', {}, bearer(bob.token))).body).toEqual({ products: [] });
    // Bob cannot change Alice's line: he only ever addresses his own cart.
    expect((await post('/api/cart/update', { product_id: product, count: 5 }, bearer(bob.token))).status).toBe(404);
    expect((await get('/api/cart/list', {}, bearer(alice.token))).body.products[0].count).toBe(1);
  });

  it('shows a product removed from the catalogue as unavailable, not as an error', async () => {
    const user = await registerAndLogin();
    const auth = bearer(user.token);
    const [kept, removed, offSale] = [await createProduct(), await createProduct(), await createProduct()];
    for (const id of [kept, removed, offSale]) await post('/api/cart/add', { product_id: id }, auth);
    await post('/api/product/remove', { id: removed }, admin);
    await post('/api/product/update', { id: offSale, status: 2 }, admin);
    const list = await get('/api/cart/list', {}, auth);
    expect(list.status).toBe(200);
    const availability = Object.fromEntries(list.body.products.map((p: any) => [p.product.id, p.available]));
    expect(availability).toEqual({ [kept]: true, [removed]: false, [offSale]: false });
  });

  it('refuses unknown, removed and off-sale products', async () => {
    const user = await registerAndLogin();
    const auth = bearer(user.token);
    const [removed, offSale] = [await createProduct(), await createProduct({ status: 2 })];
    await post('/api/product/remove', { id: removed }, admin);
    expect((await post('/api/cart/add', { product_id: 987_654_321 }, auth)).body.code).toBe('PRODUCT_NOT_FOUND');
    expect((await post('/api/cart/add', { product_id: removed }, auth)).body.code).toBe('PRODUCT_NOT_FOUND');
    expect(await post('/api/cart/add', { product_id: offSale }, auth)).toMatchObject({ status: 409, body: { code: 'PRODUCT_OFF_SALE' } });
    expect((await post('/api/cart/update', { product_id: offSale, count: 2 }, auth)).body.code).toBe('NOT_IN_CART');
  });

  it('holds at most 200 different products: the 201st gets 409 CART_FULL, even when added concurrently', async () => {
    const user = await registerAndLogin('Hoarder');
    const auth = bearer(user.token);
    const ids = await inBatches(
      Array.from({ length: 205 }, () => ({})),
      10,
      (fields) => createProduct(fields),
    );
    const first = ids.slice(0, 195);
    const replies = await inBatches(first, 10, (id) => post('/api/cart/add', { product_id: id }, auth));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    // The last 10 race for the last 5 places.
    const race = await Promise.all(ids.slice(195).map((id) => post('/api/cart/add', { product_id: id }, auth)));
    expect(race.filter((r) => r.status === 200)).toHaveLength(5);
    expect(race.filter((r) => r.status === 409 && r.body.code === 'CART_FULL')).toHaveLength(5);
    expect((await get('/api/cart/list', {}, auth)).body.products).toHaveLength(200);
    // A product already in the cart can still be added to; freeing a place lets a new one in.
    expect((await post('/api/cart/add', { product_id: first[0] }, auth)).body.count).toBe(2);
    const refused = race.findIndex((r) => r.status === 409);
    await post('/api/cart/remove', { product_id: first[1] }, auth);
    expect((await post('/api/cart/add', { product_id: ids[195 + refused] }, auth)).status).toBe(200);
    expect((await get('/api/cart/list', {}, auth)).body.products).toHaveLength(200);
  });

  it('keeps counts exact when the same product is added concurrently', async () => {
    const user = await registerAndLogin();
    const auth = bearer(user.token);
    const product = await createProduct();
    const replies = await Promise.all(Array.from({ length: 10 }, () => post('/api/cart/add', { product_id: product, count: 3 }, auth)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const list = await get('/api/cart/list', {}, auth);
    expect(list.body.products).toEqual([expect.objectContaining({ count: 30 })]);
  });

  it('answers bad input with 4xx, never 5xx', async () => {
    const user = await registerAndLogin();
    const auth = bearer(user.token);
    const product = await createProduct();
    const bad: Array<[string, unknown]> = [
      ['/api/cart/add', '{nope'],
      ['/api/cart/add', { product_id: '1' }],
      ['/api/cart/add', { product_id: product, count: 0 }],
      ['/api/cart/add', { product_id: product, count: 1000 }],
      ['/api/cart/add', { product_id: product, count: 1.5 }],
      ['/api/cart/add', { product_id: -3 }],
      ['/api/cart/update', { product_id: product }],
      ['/api/cart/remove', {}],
      ['/api/cart/remove', { product_id: 'x'.repeat(100_000) }],
    ];
    for (const [route, body] of bad) {
      const reply = await post(route, body, auth);
      expect(reply.status, `${route} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(reply.body.code).toMatch(/^(INVALID_INPUT|MALFORMED_JSON)$/);
    }
    await post('/api/cart/add', { product_id: product, count: 999 }, auth);
    expect(await post('/api/cart/add', { product_id: product, count: 1 }, auth)).toMatchObject({
      status: 400,
      body: { code: 'COUNT_TOO_LARGE' },
    });
  });

  it('needs a token', async () => {
    expect((await get('/api/cart/list')).status).toBe(401);
    expect((await post('/api/cart/add', { product_id: 1 })).status).toBe(401);
  });
});
