import { beforeAll, describe, expect, it } from 'vitest';
import {
  categoryIds,
  createProduct,
  detailBody,
  detailOf,
  expectEachOnce,
  expectError,
  ids,
  pageAll,
  recommendIds,
  removeProduct,
  type Seeded,
  STOREFRONT_KEYS,
  seedCategory,
  shopper,
  signIn,
  uniqueCategory,
  updateProduct,
} from './catalog-helpers';
import { get, post } from './client';

// The product catalogue over real HTTP (the storefront lists: category list and recommend, their order, cursors and page sizes, and what leaves them); see catalog-helpers.ts.

beforeAll(signIn);

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
