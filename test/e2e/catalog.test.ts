import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, bearer, get, post, type Reply, registerAndLogin } from './client';

/*
 * The product catalogue over real HTTP: admin CRUD, role checks, the storefront lists and their
 * cursors, comments, banners, the flash sale and bad input.
 *
 * Other test files share the same local cloud and run at the same time, so nothing here assumes
 * an empty catalogue: every test works in its own category and recognises its products by id.
 * The recommend list, banners and the flash sale are global; those tests only check properties
 * of their own records.
 */

type Headers = Record<string, string>;

let admin: Headers;
/** A normal (non-admin) user, who reads the storefront in most tests. */
let shopper: Headers;

beforeAll(async () => {
  admin = await asAdmin();
  shopper = bearer((await registerAndLogin('Shopper Sam')).token);
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** An id that is valid in form (a safe positive integer) but names no product. */
const UNKNOWN_ID = Number.MAX_SAFE_INTEGER;

/** A category no other test uses: letters, digits and '-', at most 40 characters. */
function uniqueCategory(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

interface ProductFields {
  name?: string;
  desc?: string;
  stock?: number;
  amount?: number;
  status?: number;
  category?: string;
  stock_shards?: number;
}

/** Creates a product as admin (defaults fill what is not given) and returns its id. */
async function createProduct(fields: ProductFields = {}): Promise<number> {
  const reply = await post('/api/product/create', { name: 'Widget', stock: 10, amount: 100, status: 1, ...fields }, admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body).toEqual({ id: expect.any(Number) });
  return reply.body.id;
}

interface Seeded {
  id: number;
  amount: number;
  stock: number;
}

/** Creates one product per amount, one after another (so creation order is the newest order). */
async function seedCategory(category: string, amounts: number[]): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (const [i, amount] of amounts.entries()) {
    const stock = 3 * i + 1;
    const id = await createProduct({ name: `Item ${i}`, desc: `seeded ${i}`, category, amount, stock, stock_shards: (i % 4) + 1 });
    seeded.push({ id, amount, stock });
  }
  return seeded;
}

async function updateProduct(id: number, fields: Record<string, unknown>): Promise<void> {
  const reply = await post('/api/product/update', { id, ...fields }, admin);
  expect(reply, JSON.stringify(fields)).toEqual({ status: 200, body: {} });
}

async function removeProduct(id: number): Promise<void> {
  expect(await post('/api/product/remove', { id }, admin)).toEqual({ status: 200, body: {} });
}

const detailOf = (id: number) => post('/api/product/detail', { id }, shopper);

async function detailBody(id: number): Promise<any> {
  const reply = await detailOf(id);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body).toMatchObject({ code, message: expect.any(String) });
}

const ids = (items: Array<{ id: number }>) => items.map((item) => item.id);

/** The storefront lists with a cursor: where they live, their items field and cursor field. */
const LISTS = {
  category: { route: '/api/category/list', items: 'products', cursor: 'last_val' },
  recommend: { route: '/api/home/recommend', items: 'products', cursor: 'recommend_time' },
  comments: { route: '/api/product/comment/list', items: 'comments', cursor: 'comment_time' },
} as const;

interface PageOptions {
  /** Page size, fixed or per page (0-based). */
  ps: number | ((page: number) => number);
  /** Runs after page `page` was read and before the next is requested. */
  between?: (page: number, lastItem: any) => Promise<void>;
  maxPages?: number;
}

/**
 * Reads a list page by page, each page's cursor taken from the previous reply, until is_end.
 * Checks on the way that every page but the last is full and that cursors are positive.
 */
async function pageAll(
  list: keyof typeof LISTS,
  query: Record<string, string | number>,
  options: PageOptions,
): Promise<{ items: any[]; pages: any[][] }> {
  const { route, items: field, cursor: cursorField } = LISTS[list];
  const pages: any[][] = [];
  let cursor = 0;
  for (let page = 0; ; page++) {
    if (page >= (options.maxPages ?? 500)) throw new Error(`${route} did not end after ${page} pages`);
    const ps = typeof options.ps === 'function' ? options.ps(page) : options.ps;
    const reply = await get(route, { ...query, ps, ...(cursor ? { cursor } : {}) }, shopper);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const items = reply.body[field] as any[];
    expect(items.length).toBeLessThanOrEqual(ps);
    pages.push(items);
    if (reply.body.is_end) break;
    expect(items.length, 'a page before the end is full').toBe(ps);
    expect(reply.body[cursorField]).toBeGreaterThan(0);
    cursor = reply.body[cursorField];
    await options.between?.(page, items.at(-1));
  }
  return { items: pages.flat(), pages };
}

/** Every id in the recommend list, read to the end with large pages. */
async function recommendIds(): Promise<number[]> {
  return ids((await pageAll('recommend', {}, { ps: 50 })).items);
}

/** The ids of one category list read to the end. */
async function categoryIds(category: string, sort = 'newest'): Promise<number[]> {
  return ids((await pageAll('category', { category, sort }, { ps: 50 })).items);
}

/** Asserts each id occurs exactly once in `seen`. */
function expectEachOnce(seen: number[], expected: number[]): void {
  for (const id of expected)
    expect(
      seen.filter((s) => s === id),
      `product ${id}`,
    ).toHaveLength(1);
}

const STOREFRONT_KEYS = ['category', 'create_time', 'description', 'id', 'name', 'price', 'sales', 'status', 'stock', 'update_time'];

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

// ---------------------------------------------------------------------------------------------
// 2. Role checks
// ---------------------------------------------------------------------------------------------

describe('admin-only routes answer 403 ADMIN_ONLY to a normal user and change nothing', () => {
  it('create', async () => {
    const category = uniqueCategory('role');
    const reply = await post('/api/product/create', { name: 'Sneaky', stock: 1, amount: 1, status: 1, category }, shopper);
    expectError(reply, 403, 'ADMIN_ONLY');
    expect(await categoryIds(category)).toEqual([]);
  });

  it('update and remove', async () => {
    const id = await createProduct({ name: 'Guarded', amount: 4200, stock: 6, stock_shards: 2 });
    const before = await detailBody(id);
    expectError(await post('/api/product/update', { id, amount: 1, stock: 999, name: 'Mine now' }, shopper), 403, 'ADMIN_ONLY');
    expectError(await post('/api/product/update', { id, recommend: true }, shopper), 403, 'ADMIN_ONLY');
    expectError(await post('/api/product/remove', { id }, shopper), 403, 'ADMIN_ONLY');
    expect(await detailBody(id)).toEqual(before);
  });

  it('banner save and remove', async () => {
    const title = `Role banner ${randomBytes(4).toString('hex')}`;
    const saved = await post('/api/home/banner/save', { title, image_url: 'https://img.example.com/role.png', sort: 3 }, admin);
    expect(saved.status).toBe(200);
    const banner = saved.body;

    const sneaky = `Sneaky banner ${randomBytes(4).toString('hex')}`;
    expectError(
      await post('/api/home/banner/save', { title: sneaky, image_url: 'https://evil.example.com/x.png' }, shopper),
      403,
      'ADMIN_ONLY',
    );
    expectError(
      await post('/api/home/banner/save', { id: banner.id, title: sneaky, image_url: 'https://evil.example.com/x.png' }, shopper),
      403,
      'ADMIN_ONLY',
    );
    expectError(await post('/api/home/banner/remove', { id: banner.id }, shopper), 403, 'ADMIN_ONLY');

    const { banners } = (await get('/api/home/banners', {}, shopper)).body;
    expect(banners.filter((b: any) => b.id === banner.id)).toEqual([banner]);
    expect(banners.some((b: any) => b.title === sneaky)).toBe(false);
  });

  it('flash sale set (see the flash sale tests for the record itself)', async () => {
    const id = await createProduct({ name: 'Not on sale for you' });
    const startTime = 2_000_000_000 + Math.floor(Math.random() * 1_000_000);
    expectError(await post('/api/home/flashsale/set', { start_time: startTime, product_ids: [id] }, shopper), 403, 'ADMIN_ONLY');
    const sale = await get('/api/home/flashsale', {}, shopper);
    expect(sale.status).toBe(200);
    expect(sale.body.start_time).not.toBe(startTime);
    expect(ids(sale.body.products)).not.toContain(id);
  });
});

// ---------------------------------------------------------------------------------------------
// 3 and 4. Storefront lists: order, cursors, page sizes
// ---------------------------------------------------------------------------------------------

/** 25 prices with ties (100 x4, 300 x4, 200 x2, 500 x2) and both ends of the allowed range. */
const PRICES = [
  300, 100, 700, 100, 500, 300, 900, 200, 100, 800, 400, 300, 600, 200, 1000, 500, 150, 100, 750, 250, 300, 999, 1, 1_000_000_000, 450,
];

describe('category list: order and paging over a fixed set', () => {
  const category = uniqueCategory('paging');
  let seeded: Seeded[];

  beforeAll(async () => {
    seeded = await seedCategory(category, PRICES);
  });

  it('newest: every product once, newest first, small pages', async () => {
    const { items, pages } = await pageAll('category', { category, sort: 'newest' }, { ps: 4 });
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(ids(items)).toEqual(ids(seeded).reverse());
    for (let i = 1; i < items.length; i++) expect(items[i].create_time).toBeLessThanOrEqual(items[i - 1].create_time);
  });

  it('the default sort is newest', async () => {
    const { items } = await pageAll('category', { category }, { ps: 7 });
    expect(ids(items)).toEqual(ids(seeded).reverse());
  });

  it('price: ascending, every product once, ties in a fixed order', async () => {
    const { items } = await pageAll('category', { category, sort: 'price' }, { ps: 4 });
    expect(new Set(ids(items))).toEqual(new Set(ids(seeded)));
    expect(items).toHaveLength(seeded.length);
    expect(items.map((p) => p.price)).toEqual([...PRICES].sort((a, b) => a - b));
    // The same order again, with another page size: ties are broken the same way every time.
    const again = await pageAll('category', { category, sort: 'price' }, { ps: 3 });
    expect(ids(again.items)).toEqual(ids(items));
  });

  it('price_desc: exactly the reverse of price', async () => {
    const ascending = await pageAll('category', { category, sort: 'price' }, { ps: 50 });
    const { items } = await pageAll('category', { category, sort: 'price_desc' }, { ps: 4 });
    expect(items.map((p) => p.price)).toEqual([...PRICES].sort((a, b) => b - a));
    expect(ids(items)).toEqual(ids(ascending.items).reverse());
  });

  it('sales: every product once, best sellers first', async () => {
    const { items } = await pageAll('category', { category, sort: 'sales' }, { ps: 4 });
    expect(items).toHaveLength(seeded.length);
    expect(new Set(ids(items))).toEqual(new Set(ids(seeded)));
    for (let i = 1; i < items.length; i++) expect(items[i].sales).toBeLessThanOrEqual(items[i - 1].sales);
  });

  it('lists products with the storefront fields and their summed stock', async () => {
    const { items } = await pageAll('category', { category }, { ps: 50 });
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(STOREFRONT_KEYS);
      const own = seeded.find((s) => s.id === item.id)!;
      expect(item).toMatchObject({ price: own.amount, stock: own.stock, category, status: 1, sales: 0 });
    }
  });

  it('a page that ends exactly at the last product says is_end', async () => {
    const full = await get('/api/category/list', { category, ps: 25 }, shopper);
    expect(full.body.products).toHaveLength(25);
    expect(full.body.is_end).toBe(true);
    const short = await get('/api/category/list', { category, ps: 24 }, shopper);
    expect(short.body.products).toHaveLength(24);
    expect(short.body.is_end).toBe(false);
    const rest = await get('/api/category/list', { category, ps: 24, cursor: short.body.last_val }, shopper);
    expect(ids(rest.body.products)).toEqual([seeded[0]!.id]);
    expect(rest.body.is_end).toBe(true);
  });

  it('an unknown category is an empty list', async () => {
    const reply = await get('/api/category/list', { category: uniqueCategory('empty') }, shopper);
    expect(reply).toEqual({ status: 200, body: { products: [], is_end: true, last_val: 0 } });
  });

  describe('ps: default 20, at most 50, anything else falls back to 20', () => {
    const cases: Array<[ps: string | undefined, size: number]> = [
      [undefined, 20],
      ['10000', 20],
      ['51', 20],
      ['abc', 20],
      ['0', 20],
      ['-5', 20],
      ['1.5', 20],
      ['', 20],
      ['3', 3],
      ['1', 1],
      ['50', 25],
    ];
    for (const [ps, size] of cases) {
      it(`ps=${ps ?? '(absent)'} gives ${size}`, async () => {
        const reply = await get('/api/category/list', { category, ...(ps === undefined ? {} : { ps }) }, shopper);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        expect(reply.body.products).toHaveLength(size);
        expect(reply.body.is_end).toBe(size === 25);
      });
    }

    it('also on recommend', async () => {
      // At least the 25 products above are on sale, so a clamped page is full.
      for (const ps of ['10000', 'abc', '0']) {
        const reply = await get('/api/home/recommend', { ps }, shopper);
        expect(reply.status).toBe(200);
        expect(reply.body.products, `ps=${ps}`).toHaveLength(20);
      }
      expect((await get('/api/home/recommend', { ps: 3 }, shopper)).body.products).toHaveLength(3);
    });
  });
});

describe('category list: products inserted while paging never repeat or hide existing ones', () => {
  const AMOUNTS = [500, 200, 800, 200, 1100, 650, 350, 950, 500, 120, 1200, 700];

  it('newest: new products (newer than the cursor) stay out, all others come once, in order', async () => {
    const category = uniqueCategory('ins-new');
    const existing = await seedCategory(category, AMOUNTS);
    const inserted: number[] = [];
    const { items } = await pageAll(
      'category',
      { category, sort: 'newest' },
      {
        ps: 4,
        between: async (page) => {
          if (page < 2) inserted.push(await createProduct({ category, amount: 600 }), await createProduct({ category, amount: 90 }));
        },
      },
    );
    expect(inserted).toHaveLength(4);
    expect(ids(items)).toEqual(ids(existing).reverse());
  });

  it('price: inserts above the cursor show up once, inserts below it do not, existing ones come once', async () => {
    const category = uniqueCategory('ins-price');
    const existing = await seedCategory(category, AMOUNTS);
    const above: number[] = [];
    const below: number[] = [];
    const { items } = await pageAll(
      'category',
      { category, sort: 'price' },
      {
        ps: 4,
        between: async (page, last) => {
          if (page >= 2) return;
          below.push(await createProduct({ category, amount: last.price - 1 }));
          above.push(await createProduct({ category, amount: last.price + 1 }));
        },
      },
    );
    const seen = ids(items);
    expect(seen).toHaveLength(existing.length + above.length);
    expectEachOnce(seen, [...ids(existing), ...above]);
    for (const id of below) expect(seen).not.toContain(id);
    for (let i = 1; i < items.length; i++) expect(items[i].price).toBeGreaterThanOrEqual(items[i - 1].price);
  });

  it('price_desc: inserts below the cursor show up once, inserts above it do not, existing ones come once', async () => {
    const category = uniqueCategory('ins-desc');
    const existing = await seedCategory(category, AMOUNTS);
    const above: number[] = [];
    const below: number[] = [];
    const { items } = await pageAll(
      'category',
      { category, sort: 'price_desc' },
      {
        ps: 4,
        between: async (page, last) => {
          if (page >= 2) return;
          above.push(await createProduct({ category, amount: last.price + 1 }));
          below.push(await createProduct({ category, amount: last.price - 1 }));
        },
      },
    );
    const seen = ids(items);
    expect(seen).toHaveLength(existing.length + below.length);
    expectEachOnce(seen, [...ids(existing), ...below]);
    for (const id of above) expect(seen).not.toContain(id);
    for (let i = 1; i < items.length; i++) expect(items[i].price).toBeLessThanOrEqual(items[i - 1].price);
  });
});

describe('recommend', () => {
  it('lists new products newest first, each once; "recommend: true" moves one to the top', async () => {
    const category = uniqueCategory('rec');
    const mine = ids(await seedCategory(category, [100, 200, 300, 400]));
    const own = (all: number[]) => all.filter((id) => mine.includes(id));

    expect(own(await recommendIds())).toEqual([...mine].reverse());

    // Other changes keep the position; recommend: true makes it the newest.
    await updateProduct(mine[1]!, { amount: 250, name: 'Renamed' });
    expect(own(await recommendIds())).toEqual([...mine].reverse());
    await updateProduct(mine[0]!, { recommend: true });
    expect(own(await recommendIds())).toEqual([mine[0], mine[3], mine[2], mine[1]]);

    const listed = (await pageAll('recommend', {}, { ps: 50 })).items;
    expect(listed.find((p) => p.id === mine[1])).toMatchObject({ name: 'Renamed', price: 250, category, status: 1 });
  });

  it('products created while paging neither repeat nor hide the ones that existed', async () => {
    const category = uniqueCategory('rec-ins');
    const existing = ids(await seedCategory(category, [10, 20, 30, 40, 50, 60, 70]));
    const inserted: number[] = [];
    const { items } = await pageAll(
      'recommend',
      {},
      {
        // Small pages while inserting, then large ones to get through the rest of the shared list.
        ps: (page) => (page < 4 ? 3 : 50),
        between: async (page) => {
          if (page < 3) inserted.push(await createProduct({ category, amount: 15 }));
        },
      },
    );
    const seen = ids(items);
    expect(seen).toHaveLength(new Set(seen).size); // nothing at all repeats
    expect(seen.filter((id) => existing.includes(id))).toEqual([...existing].reverse());
    // Newer than every cursor, so they are on pages already read.
    for (const id of inserted) expect(seen).not.toContain(id);
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Off sale and removed
// ---------------------------------------------------------------------------------------------

describe('off-sale and removed products leave the storefront', () => {
  const SORTS = ['newest', 'price', 'price_desc', 'sales'];

  it('off sale: detail still answers, every list drops it, back on sale it returns', async () => {
    const category = uniqueCategory('offsale');
    const [keep, toggle] = ids(await seedCategory(category, [300, 400]));
    await updateProduct(toggle!, { status: 2 });

    expect(await detailBody(toggle!)).toMatchObject({ id: toggle, status: 2, amount: 400 });
    for (const sort of SORTS) expect(await categoryIds(category, sort), sort).toEqual([keep]);
    const recommended = await recommendIds();
    expect(recommended).toContain(keep);
    expect(recommended).not.toContain(toggle);

    await updateProduct(toggle!, { status: 1 });
    for (const sort of SORTS) expect((await categoryIds(category, sort)).sort(), sort).toEqual([keep, toggle].sort());
    expect(await recommendIds()).toContain(toggle);
  });

  it('created off sale: never listed, detail answers', async () => {
    const category = uniqueCategory('born-off');
    const id = await createProduct({ category, status: 2 });
    expect((await detailBody(id)).status).toBe(2);
    for (const sort of SORTS) expect(await categoryIds(category, sort), sort).toEqual([]);
    expect(await recommendIds()).not.toContain(id);
  });

  it('removed: gone from detail, every list and comments', async () => {
    const category = uniqueCategory('removed');
    const [keep, doomed] = ids(await seedCategory(category, [300, 400]));
    expect(await recommendIds()).toContain(doomed);
    await removeProduct(doomed!);

    expectError(await detailOf(doomed!), 404, 'PRODUCT_NOT_FOUND');
    for (const sort of SORTS) expect(await categoryIds(category, sort), sort).toEqual([keep]);
    expect(await recommendIds()).not.toContain(doomed);
    expectError(await get('/api/product/comment/list', { product_id: doomed! }, shopper), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/comment/add', { product_id: doomed, content: 'too late' }, shopper), 404, 'PRODUCT_NOT_FOUND');
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Comments
// ---------------------------------------------------------------------------------------------

describe('comments', () => {
  it("adds comments with images and lists them newest first under the writer's name", async () => {
    const product = await createProduct({ name: 'Commented' });
    const cleo = await registerAndLogin('Cleo Commenter');
    const dan = await registerAndLogin('Dan');

    const images = ['https://img.example.com/a.png', 'http://img.example.com/b.jpg'];
    const first = await post('/api/product/comment/add', { product_id: product, content: '  Great lamp!  ', images }, bearer(cleo.token));
    expect(first).toEqual({
      status: 200,
      body: {
        id: expect.any(Number),
        product_id: product,
        content: 'Great lamp!',
        images: [
          { id: 1, url: images[0] },
          { id: 2, url: images[1] },
        ],
        user: { id: cleo.id, name: 'Cleo Commenter', avatar: '' },
        create_time: expect.any(Number),
        update_time: expect.any(Number),
      },
    });
    expect(Math.abs(first.body.create_time - Date.now() / 1000)).toBeLessThan(60);

    const second = await post('/api/product/comment/add', { product_id: product, content: 'Meh' }, bearer(dan.token));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ product_id: product, content: 'Meh', images: [], user: { id: dan.id, name: 'Dan' } });

    const list = await get('/api/product/comment/list', { product_id: product }, shopper);
    expect(list).toEqual({ status: 200, body: { comments: [second.body, first.body], is_end: true, comment_time: expect.any(Number) } });

    // Another product's comments are its own.
    const other = await createProduct({ name: 'Uncommented' });
    expect((await get('/api/product/comment/list', { product_id: other }, shopper)).body).toEqual({
      comments: [],
      is_end: true,
      comment_time: 0,
    });
  });

  it('pages with the comment_time cursor; comments added while paging do not disturb it', async () => {
    const product = await createProduct({ name: 'Popular' });
    const writer = bearer((await registerAndLogin('Writer')).token);
    const add = async (content: string) => {
      const reply = await post('/api/product/comment/add', { product_id: product, content }, writer);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.id as number;
    };
    const existing: number[] = [];
    for (let i = 0; i < 23; i++) existing.push(await add(`comment ${i}`));

    const { items, pages } = await pageAll('comments', { product_id: product }, { ps: 5 });
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(ids(items)).toEqual([...existing].reverse());
    expect(items.map((c) => c.content)).toEqual(existing.map((_, i) => `comment ${i}`).reverse());

    // ps is clamped here too.
    expect((await get('/api/product/comment/list', { product_id: product, ps: 10000 }, shopper)).body.comments).toHaveLength(20);

    const added: number[] = [];
    const paged = await pageAll(
      'comments',
      { product_id: product },
      {
        ps: 4,
        between: async (page) => {
          if (page < 3) added.push(await add(`late ${page}`));
        },
      },
    );
    expect(added).toHaveLength(3);
    expect(ids(paged.items)).toEqual([...existing].reverse());
  });

  it('answers 404 for comments of an unknown product', async () => {
    expectError(await get('/api/product/comment/list', { product_id: UNKNOWN_ID }, shopper), 404, 'PRODUCT_NOT_FOUND');
    expectError(await post('/api/product/comment/add', { product_id: UNKNOWN_ID, content: 'hello' }, shopper), 404, 'PRODUCT_NOT_FOUND');
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Banners and the flash sale
// ---------------------------------------------------------------------------------------------

describe('banners', () => {
  const tag = randomBytes(4).toString('hex');
  const listBanners = async () => {
    const reply = await get('/api/home/banners', {}, shopper);
    expect(reply.status).toBe(200);
    const { banners } = reply.body as { banners: Array<{ id: number; sort: number; title: string }> };
    // The whole (shared) list is in (sort, id) order.
    for (let i = 1; i < banners.length; i++) {
      const [a, b] = [banners[i - 1]!, banners[i]!];
      expect(a.sort < b.sort || (a.sort === b.sort && a.id < b.id), `${a.id} before ${b.id}`).toBe(true);
    }
    return banners;
  };
  const save = async (banner: Record<string, unknown>) => {
    const reply = await post('/api/home/banner/save', banner, admin);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  };

  it('saves, orders by sort then id, updates in place and removes', async () => {
    const b1 = await save({ title: `B1 ${tag}`, image_url: 'https://img.example.com/1.png', link_url: '/category/shoes', sort: 5 });
    expect(b1).toEqual({
      id: expect.any(Number),
      title: `B1 ${tag}`,
      image_url: 'https://img.example.com/1.png',
      link_url: '/category/shoes',
      sort: 5,
    });
    const b2 = await save({ title: `B2 ${tag}`, image_url: 'https://img.example.com/2.png', sort: 1 });
    expect(b2).toMatchObject({ link_url: '', sort: 1 });
    const b3 = await save({ title: `B3 ${tag}`, image_url: 'http://img.example.com/3.png', sort: 5 });
    const b4 = await save({ title: `B4 ${tag}`, image_url: 'https://img.example.com/4.png' });
    expect(b4.sort).toBe(0);

    const mine = (banners: Array<{ id: number }>) => banners.filter((b) => [b1.id, b2.id, b3.id, b4.id].includes(b.id));
    expect(mine(await listBanners())).toEqual([b4, b2, b1, b3]);

    // Saving with an id replaces that banner: no new one, new order.
    const b3v2 = await save({ id: b3.id, title: `B3 v2 ${tag}`, image_url: 'https://img.example.com/3b.png', sort: 2 });
    expect(b3v2).toEqual({ id: b3.id, title: `B3 v2 ${tag}`, image_url: 'https://img.example.com/3b.png', link_url: '', sort: 2 });
    expect(mine(await listBanners())).toEqual([b4, b2, b3v2, b1]);

    expect(await post('/api/home/banner/remove', { id: b2.id }, admin)).toEqual({ status: 200, body: {} });
    expect(mine(await listBanners())).toEqual([b4, b3v2, b1]);
    // Removing it again is harmless.
    expect((await post('/api/home/banner/remove', { id: b2.id }, admin)).status).toBeLessThan(500);

    for (const b of [b1, b3, b4]) await post('/api/home/banner/remove', { id: b.id }, admin);
    expect(mine(await listBanners())).toEqual([]);
  });

  it('answers 404 when saving over a banner that does not exist, and creates nothing', async () => {
    const title = `Ghost ${tag}`;
    expectError(
      await post('/api/home/banner/save', { id: 987_654_321, title, image_url: 'https://img.example.com/g.png' }, admin),
      404,
      'BANNER_NOT_FOUND',
    );
    expect((await listBanners()).some((b) => b.id === 987_654_321 || b.title === title)).toBe(false);
  });
});

// The flash sale is one global record: these tests run one after another, never alongside each other.
describe.sequential('flash sale', () => {
  const sale = async () => {
    const reply = await get('/api/home/flashsale', {}, shopper);
    expect(reply.status).toBe(200);
    return reply.body as { start_time: number; products: any[] };
  };
  const setSale = (start_time: number, product_ids: number[]) => post('/api/home/flashsale/set', { start_time, product_ids }, admin);
  const startTime = () => Math.floor(Date.now() / 1000) + 3600 + Math.floor(Math.random() * 10_000);

  it('is set by the admin and shows start_time and the products, in the given order, with stock', async () => {
    const category = uniqueCategory('flash');
    const a = await createProduct({ category, name: 'Flash A', amount: 1999, stock: 5, stock_shards: 2 });
    const b = await createProduct({ category, name: 'Flash B', amount: 500, stock: 40, stock_shards: 16 });
    const c = await createProduct({ category, name: 'Flash C', amount: 7, stock: 0 });
    const start = startTime();
    expect(await setSale(start, [b, a, c, a])).toEqual({ status: 200, body: {} });

    const current = await sale();
    expect(current.start_time).toBe(start);
    expect(ids(current.products)).toEqual([b, a, c]);
    expect(current.products[0]).toEqual({
      id: b,
      name: 'Flash B',
      description: '',
      price: 500,
      stock: 40,
      category,
      status: 1,
      sales: 0,
      create_time: expect.any(Number),
      update_time: expect.any(Number),
    });
    expect(current.products[1]).toMatchObject({ id: a, price: 1999, stock: 5 });
    expect(current.products[2]).toMatchObject({ id: c, price: 7, stock: 0 });

    // Later changes show up.
    await updateProduct(a, { stock: 3, amount: 1500 });
    expect((await sale()).products.find((p) => p.id === a)).toMatchObject({ stock: 3, price: 1500 });

    // Setting it again replaces it.
    const later = start + 60;
    expect((await setSale(later, [c])).status).toBe(200);
    expect(await sale()).toMatchObject({ start_time: later, products: [expect.objectContaining({ id: c })] });
  });

  it('drops removed products', async () => {
    const keep = await createProduct({ name: 'Flash keep' });
    const doomed = await createProduct({ name: 'Flash doomed' });
    const start = startTime();
    expect((await setSale(start, [doomed, keep])).status).toBe(200);
    await removeProduct(doomed);
    expect(await sale()).toEqual({ start_time: start, products: [expect.objectContaining({ id: keep })] });
  });

  it('drops off-sale products', async () => {
    const keep = await createProduct({ name: 'Flash keep' });
    const paused = await createProduct({ name: 'Flash paused' });
    const start = startTime();
    expect((await setSale(start, [paused, keep])).status).toBe(200);
    await updateProduct(paused, { status: 2 });
    expect(await sale()).toEqual({ start_time: start, products: [expect.objectContaining({ id: keep })] });
  });

  it('refuses unknown or removed products with 400 UNKNOWN_PRODUCTS and keeps the current sale', async () => {
    const live = await createProduct({ name: 'Flash live' });
    const removed = await createProduct({ name: 'Flash removed' });
    await removeProduct(removed);
    const start = startTime();
    expect((await setSale(start, [live])).status).toBe(200);

    const unknown = await setSale(start + 1, [live, UNKNOWN_ID]);
    expectError(unknown, 400, 'UNKNOWN_PRODUCTS');
    expect(unknown.body.message).toContain(String(UNKNOWN_ID));
    expectError(await setSale(start + 2, [removed]), 400, 'UNKNOWN_PRODUCTS');

    expect(await sale()).toEqual({ start_time: start, products: [expect.objectContaining({ id: live })] });
  });

  it('a normal user cannot set it', async () => {
    const id = await createProduct({ name: 'Flash own' });
    const start = startTime();
    expect((await setSale(start, [id])).status).toBe(200);
    expectError(await post('/api/home/flashsale/set', { start_time: start + 5, product_ids: [] }, shopper), 403, 'ADMIN_ONLY');
    expect(await sale()).toEqual({ start_time: start, products: [expect.objectContaining({ id })] });
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Bad input: always a 4xx with a stable code, never a 5xx
// ---------------------------------------------------------------------------------------------

describe('bad input gets a 400 with a stable code, never a 5xx', () => {
  const product = { name: 'Valid', stock: 1, amount: 1, status: 1 };
  const banner = { title: 'Valid', image_url: 'https://img.example.com/v.png' };
  const comment = { product_id: 1, content: 'valid' };

  const posts: Array<[label: string, route: string, body: unknown, code?: string]> = [
    ['create: malformed JSON', '/api/product/create', '{"name": "x",', 'MALFORMED_JSON'],
    ['create: no body', '/api/product/create', undefined],
    ['create: an array', '/api/product/create', '[1,2]'],
    ['create: null', '/api/product/create', 'null'],
    ['create: missing name', '/api/product/create', { stock: 1, amount: 1, status: 1 }],
    ['create: stock as a string', '/api/product/create', { ...product, stock: '5' }],
    ['create: negative stock', '/api/product/create', { ...product, stock: -1 }],
    ['create: fractional stock', '/api/product/create', { ...product, stock: 2.5 }],
    ['create: stock too large', '/api/product/create', { ...product, stock: 10_000_001 }],
    ['create: fractional amount', '/api/product/create', { ...product, amount: 1.5 }],
    ['create: zero amount', '/api/product/create', { ...product, amount: 0 }],
    ['create: negative amount', '/api/product/create', { ...product, amount: -100 }],
    ['create: amount too large', '/api/product/create', { ...product, amount: 1_000_000_001 }],
    ['create: amount as a string', '/api/product/create', { ...product, amount: '100' }],
    ['create: status 3', '/api/product/create', { ...product, status: 3 }],
    ['create: status 0', '/api/product/create', { ...product, status: 0 }],
    ['create: status as a string', '/api/product/create', { ...product, status: '1' }],
    ['create: zero shards', '/api/product/create', { ...product, stock_shards: 0 }],
    ['create: 17 shards', '/api/product/create', { ...product, stock_shards: 17 }],
    ['create: blank name', '/api/product/create', { ...product, name: '   ' }],
    ['create: huge name', '/api/product/create', { ...product, name: 'x'.repeat(200_000) }],
    ['create: name as a number', '/api/product/create', { ...product, name: 42 }],
    ['create: desc too long', '/api/product/create', { ...product, desc: 'd'.repeat(2001) }],
    ['create: empty category', '/api/product/create', { ...product, category: '' }],
    ['create: category too long', '/api/product/create', { ...product, category: 'c'.repeat(41) }],
    ['create: category with a slash', '/api/product/create', { ...product, category: 'a/b' }],
    ['create: category with a #', '/api/product/create', { ...product, category: 'CAT#x' }],
    ['create: category as an array', '/api/product/create', { ...product, category: ['x'] }],
    ['update: id as a string', '/api/product/update', { id: '1', name: 'x' }],
    ['update: fractional id', '/api/product/update', { id: 1.5 }],
    ['update: id 0', '/api/product/update', { id: 0 }],
    ['update: negative id', '/api/product/update', { id: -1 }],
    ['update: id null', '/api/product/update', { id: null }],
    ['update: id as an object', '/api/product/update', { id: {} }],
    ['update: id as an array', '/api/product/update', { id: [1] }],
    ['update: id beyond safe integers', '/api/product/update', { id: 2 ** 53 + 2 }],
    ['update: missing id', '/api/product/update', { amount: 5 }],
    ['update: zero amount', '/api/product/update', { id: 1, amount: 0 }],
    ['update: status 3', '/api/product/update', { id: 1, status: 3 }],
    ['update: stock as a string', '/api/product/update', { id: 1, stock: '5' }],
    ['update: recommend as a string', '/api/product/update', { id: 1, recommend: 'yes' }],
    ['update: malformed JSON', '/api/product/update', '{id: 1}', 'MALFORMED_JSON'],
    ['remove: id as a string', '/api/product/remove', { id: 'abc' }],
    ['remove: no body', '/api/product/remove', undefined],
    ['remove: malformed JSON', '/api/product/remove', '{"id": ', 'MALFORMED_JSON'],
    ['detail: id as a string', '/api/product/detail', { id: '1' }],
    ['detail: id true', '/api/product/detail', { id: true }],
    ['detail: id 1e300', '/api/product/detail', { id: 1e300 }],
    ['detail: no body', '/api/product/detail', undefined],
    ['detail: malformed JSON', '/api/product/detail', 'id=1', 'MALFORMED_JSON'],
    ['comment add: javascript: image', '/api/product/comment/add', { ...comment, images: ['javascript:alert(1)'] }],
    ['comment add: ftp image', '/api/product/comment/add', { ...comment, images: ['ftp://img.example.com/a.png'] }],
    ['comment add: image not a URL', '/api/product/comment/add', { ...comment, images: ['not a url'] }],
    [
      'comment add: image URL too long',
      '/api/product/comment/add',
      { ...comment, images: [`https://img.example.com/${'a'.repeat(600)}.png`] },
    ],
    [
      'comment add: ten images',
      '/api/product/comment/add',
      { ...comment, images: Array.from({ length: 10 }, (_, i) => `https://img.example.com/${i}.png`) },
    ],
    ['comment add: images as a string', '/api/product/comment/add', { ...comment, images: 'https://img.example.com/a.png' }],
    ['comment add: blank content', '/api/product/comment/add', { ...comment, content: '  ' }],
    ['comment add: huge content', '/api/product/comment/add', { ...comment, content: 'c'.repeat(100_000) }],
    ['comment add: product_id as a string', '/api/product/comment/add', { ...comment, product_id: '1' }],
    ['comment add: malformed JSON', '/api/product/comment/add', '{"content":', 'MALFORMED_JSON'],
    ['banner save: image not a URL', '/api/home/banner/save', { ...banner, image_url: 'not a url' }],
    ['banner save: ftp image', '/api/home/banner/save', { ...banner, image_url: 'ftp://img.example.com/a.png' }],
    ['banner save: blank title', '/api/home/banner/save', { ...banner, title: ' ' }],
    ['banner save: negative sort', '/api/home/banner/save', { ...banner, sort: -1 }],
    ['banner save: sort too large', '/api/home/banner/save', { ...banner, sort: 10_000 }],
    ['banner save: fractional sort', '/api/home/banner/save', { ...banner, sort: 1.5 }],
    ['banner save: id as a string', '/api/home/banner/save', { ...banner, id: '1' }],
    ['banner remove: id as a string', '/api/home/banner/remove', { id: 'x' }],
    ['flash sale set: start_time 0', '/api/home/flashsale/set', { start_time: 0, product_ids: [] }],
    ['flash sale set: start_time as a string', '/api/home/flashsale/set', { start_time: '2030-01-01', product_ids: [] }],
    ['flash sale set: product_ids not an array', '/api/home/flashsale/set', { start_time: 2_000_000_000, product_ids: 5 }],
    ['flash sale set: product ids as strings', '/api/home/flashsale/set', { start_time: 2_000_000_000, product_ids: ['1'] }],
    [
      'flash sale set: 51 products',
      '/api/home/flashsale/set',
      { start_time: 2_000_000_000, product_ids: Array.from({ length: 51 }, (_, i) => i + 1) },
    ],
    ['flash sale set: malformed JSON', '/api/home/flashsale/set', '{"start_time": 1,', 'MALFORMED_JSON'],
  ];
  for (const [label, route, body, code = 'INVALID_INPUT'] of posts) {
    it(label, async () => {
      const reply = await post(route, body, admin);
      expectError(reply, 400, code);
    });
  }

  const gets: Array<[label: string, route: string, query: Record<string, string | number>]> = [
    ['recommend: cursor=-1', '/api/home/recommend', { cursor: '-1' }],
    ['recommend: cursor=abc', '/api/home/recommend', { cursor: 'abc' }],
    ['recommend: cursor=1.5', '/api/home/recommend', { cursor: '1.5' }],
    ['recommend: cursor beyond safe integers', '/api/home/recommend', { cursor: '9007199254740993' }],
    ['category list: cursor=-1', '/api/category/list', { category: 'general', cursor: '-1' }],
    ['category list: cursor=abc', '/api/category/list', { category: 'general', cursor: 'abc' }],
    ['category list: no category', '/api/category/list', {}],
    ['category list: empty category', '/api/category/list', { category: '' }],
    ['category list: category too long', '/api/category/list', { category: 'c'.repeat(41) }],
    ['category list: huge category', '/api/category/list', { category: 'c'.repeat(5000) }],
    ['category list: category with a #', '/api/category/list', { category: 'x#RECOMMEND' }],
    ['category list: unknown sort', '/api/category/list', { category: 'general', sort: 'bogus' }],
    ['category list: sort in capitals', '/api/category/list', { category: 'general', sort: 'PRICE' }],
    ['comments: cursor=-1', '/api/product/comment/list', { product_id: 1, cursor: '-1' }],
    ['comments: cursor=abc', '/api/product/comment/list', { product_id: 1, cursor: 'abc' }],
    ['comments: no product_id', '/api/product/comment/list', {}],
    ['comments: product_id=abc', '/api/product/comment/list', { product_id: 'abc' }],
    ['comments: product_id=0', '/api/product/comment/list', { product_id: '0' }],
    ['comments: product_id=-3', '/api/product/comment/list', { product_id: '-3' }],
    ['comments: product_id=1.5', '/api/product/comment/list', { product_id: '1.5' }],
  ];
  for (const [label, route, query] of gets) {
    it(label, async () => {
      expectError(await get(route, query, shopper), 400, 'INVALID_INPUT');
    });
  }
});
