import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, expectError, ids, removeProduct, signIn, updateProduct } from './catalog-helpers';
import { get, post } from './client';

// GET /api/product/search over real HTTP: words of names and categories, AND of several words,
// paging, and the index kept in step with every product write. Other files share the local
// cloud, so every test searches words of its own (random letters and digits).

beforeAll(signIn);

/** A word no other product has. */
const word = () => `w${randomBytes(5).toString('hex')}`;

async function newProduct(fields: Record<string, unknown>): Promise<number> {
  const reply = await post('/api/product/create', { stock: 5, amount: 100, ...fields }, admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.id;
}

/** Public: no token. */
const search = (q: string, extra: Record<string, string | number> = {}) => get('/api/product/search', { q, ...extra });

async function found(q: string): Promise<number[]> {
  const reply = await search(q, { ps: 50 });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body.is_end).toBe(true);
  return ids(reply.body.products);
}

/** Every page of a search, with the page size given; checks each page but the last is full. */
async function allPages(q: string, ps: number): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor = 0;
  for (let n = 0; n < 50; n++) {
    const reply = await search(q, { ps, ...(cursor ? { cursor } : {}) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    pages.push(ids(reply.body.products));
    if (reply.body.is_end) return pages;
    expect(reply.body.last_val).toBeGreaterThan(0);
    cursor = reply.body.last_val;
  }
  throw new Error('search did not end');
}

describe('search', () => {
  it('finds products on sale by a word of their name, in any case, newest first, as the storefront lists them', async () => {
    const w = word();
    const a = await newProduct({ name: `Green ${w} tea`, images: ['https://img.example.com/t.png'] });
    const b = await newProduct({ name: `${w.toUpperCase()}-kettle` });
    expect(await found(w)).toEqual([b, a]);
    expect(await found(`  ${w.toUpperCase()}!! `)).toEqual([b, a]);
    const reply = await search(w);
    expect(reply.body.products[1]).toMatchObject({ id: a, name: `Green ${w} tea`, image_url: 'https://img.example.com/t.png', price: 100 });
  });

  it("finds products by a word of their category's name, and of its parent's", async () => {
    const [top, sub] = [word(), word()];
    const parent = (await post('/api/category/create', { name: `Home ${top}` }, admin)).body;
    const child = (await post('/api/category/create', { name: `${sub} lamps`, parent_id: parent.id }, admin)).body;
    const id = await newProduct({ name: 'Reading lamp', category_id: child.id });
    const legacy = word();
    const old = await newProduct({ name: 'Old thing', category: `cat-${legacy}` });
    expect(await found(sub)).toEqual([id]);
    expect(await found(top)).toEqual([id]);
    expect(await found(legacy)).toEqual([old]);

    // A renamed category: its products are found by the new word, no longer by the old.
    const fresh = word();
    expect((await post('/api/category/update', { id: child.id, name: `${fresh} lights` }, admin)).status).toBe(200);
    expect(await found(fresh)).toEqual([id]);
    expect(await found(sub)).toEqual([]);
  });

  it('with several words, finds only products that have all of them (AND)', async () => {
    const [x, y] = [word(), word()];
    const both = await newProduct({ name: `${x} ${y} combo` });
    await newProduct({ name: `${x} only` });
    await newProduct({ name: `${y} only` });
    expect(await found(`${x} ${y}`)).toEqual([both]);
    expect(await found(`${y} ${x}`)).toEqual([both]);
    expect(await found(`${x} ${word()}`)).toEqual([]);
  });

  it('handles CJK names character by character', async () => {
    const w = word();
    const id = await newProduct({ name: `蓝牙耳机 ${w}` });
    expect(await found(`${w} 耳机`)).toEqual([id]);
    expect(await found(`${w}耳机`)).toEqual([id]);
    expect(await found(`${w} 手机`)).toEqual([]);
  });

  it('pages without repeats or gaps, one word and an intersection', async () => {
    const [x, y] = [word(), word()];
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push(await newProduct({ name: `${x} ${i % 2 === 0 ? y : 'plain'} item ${i}` }));
    const newest = [...made].reverse();

    const pages = await allPages(x, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newest);

    const both = newest.filter((id) => made.indexOf(id) % 2 === 0);
    const pagesAnd = await allPages(`${x} ${y}`, 2);
    expect(pagesAnd.flat()).toEqual(both);
    expect(pagesAnd.slice(0, -1).every((p) => p.length === 2)).toBe(true);
  });

  it('moves a product in the index when its name changes: the old word no longer finds it', async () => {
    const [before, after] = [word(), word()];
    const id = await newProduct({ name: `Mug ${before}` });
    expect(await found(before)).toEqual([id]);
    await updateProduct(id, { name: `Mug ${after}` });
    expect(await found(before)).toEqual([]);
    expect(await found(after)).toEqual([id]);
    expect(await found(`mug ${after}`)).toEqual([id]);
  });

  it('drops a product at once when it goes off sale or is removed, and finds it again back on sale', async () => {
    const w = word();
    const id = await newProduct({ name: `Vase ${w}` });
    const offAtStart = await newProduct({ name: `Bowl ${w}`, status: 2 });
    expect(await found(w)).toEqual([id]);
    await updateProduct(id, { status: 2 });
    expect(await found(w)).toEqual([]);
    await updateProduct(offAtStart, { status: 1 });
    await updateProduct(id, { status: 1 });
    expect(await found(w)).toEqual([offAtStart, id].sort((a, b) => b - a));
    await removeProduct(id);
    expect(await found(w)).toEqual([offAtStart]);
  });

  it('refuses a query without a letter or digit, and is public', async () => {
    expectError(await search('  !!! '), 400, 'INVALID_INPUT');
    expectError(await get('/api/product/search'), 400, 'INVALID_INPUT');
    expectError(await search('x'.repeat(101)), 400, 'INVALID_INPUT');
    expect((await search(word())).body).toEqual({ products: [], is_end: true, last_val: 0 });
  });
});
