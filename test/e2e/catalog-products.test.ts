import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  categoryIds,
  createProduct,
  detailBody,
  detailOf,
  expectError,
  PLAIN,
  removeProduct,
  shopper,
  signIn,
  UNKNOWN_ID,
  uniqueCategory,
  updateProduct,
} from './catalog-helpers';
import { get, post } from './client';

// The product catalogue over real HTTP (admin product CRUD: every field, defaults, stock over shards, updates (also concurrent) and removal); see catalog-helpers.ts.

beforeAll(signIn);

// ---------------------------------------------------------------------------------------------
// 1. Admin CRUD
// ---------------------------------------------------------------------------------------------

describe('admin product CRUD', () => {
  it('creates a product whose detail shows every field, stock summed over its shards', async () => {
    const category = uniqueCategory('crud');
    const before = Math.floor(Date.now() / 1000);
    const id = await createProduct({
      name: 'Desk lamp',
      desc: 'LED, warm white',
      stock: 10,
      amount: 2599,
      status: 1,
      category,
      stock_shards: 3,
    });
    const after = Math.ceil(Date.now() / 1000);

    const detail = await detailOf(id);
    expect(detail).toEqual({
      status: 200,
      body: {
        id,
        name: 'Desk lamp',
        desc: 'LED, warm white',
        stock: 10,
        amount: 2599,
        status: 1,
        category,
        sales: 0,
        create_time: expect.any(Number),
        update_time: expect.any(Number),
        ...PLAIN,
      },
    });
    expect(detail.body.create_time).toBeGreaterThanOrEqual(before);
    expect(detail.body.create_time).toBeLessThanOrEqual(after);
    expect(detail.body.update_time).toBe(detail.body.create_time);

    // The storefront shows the same product with lebron's field names.
    const list = await get('/api/category/list', { category }, shopper);
    expect(list).toEqual({
      status: 200,
      body: {
        products: [
          {
            id,
            name: 'Desk lamp',
            description: 'LED, warm white',
            price: 2599,
            stock: 10,
            category,
            status: 1,
            sales: 0,
            create_time: detail.body.create_time,
            update_time: detail.body.update_time,
            ...PLAIN,
          },
        ],
        is_end: true,
        last_val: expect.any(Number),
      },
    });
  });

  it('fills in the defaults: empty desc, category "general", one shard', async () => {
    const id = await createProduct({ name: 'Plain', stock: 3, amount: 1, status: 2 });
    expect(await detailBody(id)).toMatchObject({
      id,
      name: 'Plain',
      desc: '',
      category: 'general',
      stock: 3,
      amount: 1,
      status: 2,
      sales: 0,
    });
  });

  it('sums stock over any number of shards, also fewer units than shards', async () => {
    const cases: Array<[stock: number, shards: number]> = [
      [10, 1],
      [10, 2],
      [10, 3],
      [5, 16],
      [0, 16],
      [10_000_000, 7],
    ];
    const created = await Promise.all(cases.map(([stock, stock_shards]) => createProduct({ stock, stock_shards })));
    for (const [i, id] of created.entries()) {
      expect((await detailBody(id)).stock, `stock ${cases[i]![0]} over ${cases[i]![1]} shards`).toBe(cases[i]![0]);
    }
  });

  it('update changes only the fields given', async () => {
    const category = uniqueCategory('upd');
    const id = await createProduct({ name: 'Mug', desc: 'ceramic', stock: 8, amount: 1200, status: 1, category, stock_shards: 2 });
    const original = await detailBody(id);

    await updateProduct(id, { amount: 999 });
    const afterAmount = await detailBody(id);
    expect(afterAmount).toEqual({ ...original, amount: 999, update_time: expect.any(Number) });
    expect(afterAmount.update_time).toBeGreaterThanOrEqual(original.update_time);

    await updateProduct(id, { name: 'Big mug', desc: '' });
    expect(await detailBody(id)).toEqual({ ...original, amount: 999, name: 'Big mug', desc: '', update_time: expect.any(Number) });

    await updateProduct(id, { status: 2 });
    expect(await detailBody(id)).toEqual({
      ...original,
      amount: 999,
      name: 'Big mug',
      desc: '',
      status: 2,
      update_time: expect.any(Number),
    });

    // An update with nothing but the id changes no field.
    await updateProduct(id, {});
    expect(await detailBody(id)).toEqual({
      ...original,
      amount: 999,
      name: 'Big mug',
      desc: '',
      status: 2,
      update_time: expect.any(Number),
    });
  });

  it('updates stock and shard count, together and apart', async () => {
    const category = uniqueCategory('shards');
    const id = await createProduct({ category, stock: 10, stock_shards: 3 });
    expect((await detailBody(id)).stock).toBe(10);

    const steps: Array<[change: Record<string, number>, stock: number]> = [
      [{ stock: 7, stock_shards: 2 }, 7],
      [{ stock_shards: 5 }, 7], // more shards keep the total
      [{ stock_shards: 1 }, 7], // fewer shards keep the total
      [{ stock: 0 }, 0],
      [{ stock: 13, stock_shards: 16 }, 13],
      [{ stock: 4 }, 4], // fewer units than shards
      [{ amount: 50 }, 4], // other fields leave stock alone
    ];
    for (const [change, stock] of steps) {
      await updateProduct(id, change);
      expect((await detailBody(id)).stock, JSON.stringify(change)).toBe(stock);
    }
    // The storefront list sums the same shards.
    const list = await get('/api/category/list', { category }, shopper);
    expect(list.body.products).toEqual([expect.objectContaining({ id, stock: 4, price: 50 })]);
  });

  it('moves a product to another category (also one with non-ASCII letters)', async () => {
    const from = uniqueCategory('from');
    const to = uniqueCategory('Küche_Ä');
    const id = await createProduct({ category: from });
    await updateProduct(id, { category: to });
    expect((await detailBody(id)).category).toBe(to);
    expect(await categoryIds(from)).toEqual([]);
    for (const sort of ['newest', 'price', 'price_desc', 'sales']) expect(await categoryIds(to, sort), sort).toEqual([id]);
  });

  it('remove makes detail 404, and updating or removing it again 404', async () => {
    const id = await createProduct({ name: 'Doomed' });
    expect((await detailOf(id)).status).toBe(200);
    await removeProduct(id);
    expect(await detailOf(id)).toEqual({ status: 404, body: { code: 'PRODUCT_NOT_FOUND', message: expect.any(String) } });
    expectError(await post('/api/product/update', { id, amount: 5 }, admin), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/update', { id, recommend: true }, admin), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/remove', { id }, admin), 404, 'PRODUCT_NOT_FOUND');
    expect((await detailOf(id)).status).toBe(404); // the failed update did not bring it back
  });

  it('answers 404 for an id that never existed', async () => {
    expectError(await detailOf(UNKNOWN_ID), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/update', { id: UNKNOWN_ID, name: 'x' }, admin), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/remove', { id: UNKNOWN_ID }, admin), 404, 'PRODUCT_NOT_FOUND');
  });

  it('concurrent updates of one product all succeed (or answer 409), never a 5xx, and none is lost', async () => {
    const id = await createProduct({ name: 'Contended', desc: 'before', amount: 100, stock: 10, stock_shards: 4 });
    const changes = [
      { name: 'After' },
      { desc: 'after' },
      { amount: 777 },
      { stock: 33 },
      { stock_shards: 2 },
      { status: 2 },
      { recommend: true },
      { category: uniqueCategory('race') },
    ];
    const replies = await Promise.all(changes.map((change) => post('/api/product/update', { id, ...change }, admin)));
    for (const [i, reply] of replies.entries())
      expect([200, 409], `${JSON.stringify(changes[i])}: ${JSON.stringify(reply.body)}`).toContain(reply.status);
    const applied = Object.assign({}, ...changes.filter((_, i) => replies[i]!.status === 200));
    delete applied.recommend;
    delete applied.stock_shards;
    expect(await detailBody(id)).toMatchObject(applied);
  });

  it('concurrent updates of the same fields leave the values of exactly one of them, never a 5xx', async () => {
    const id = await createProduct({ amount: 100, stock: 10, stock_shards: 4 });
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post('/api/product/update', { id, stock: i + 1, amount: 1000 + i + 1 }, admin)),
    );
    for (const reply of replies) expect([200, 409], JSON.stringify(reply.body)).toContain(reply.status);
    const winners = replies.flatMap((reply, i) => (reply.status === 200 ? [i + 1] : []));
    expect(winners.length).toBeGreaterThan(0);
    const { stock, amount } = await detailBody(id);
    expect(amount - 1000, 'stock and amount come from the same request').toBe(stock);
    expect(winners).toContain(stock);
  });

  it('gives concurrently created products distinct ids', async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => createProduct({ name: `Racer ${i}` })));
    expect(new Set(created).size).toBe(10);
  });
});
