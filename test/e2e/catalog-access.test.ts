import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, categoryIds, createProduct, detailBody, expectError, ids, shopper, signIn, uniqueCategory } from './catalog-helpers';
import { get, post } from './client';

// The product catalogue over real HTTP (admin-only routes refused to a normal user, and bad input refused with a stable code); see catalog-helpers.ts.

beforeAll(signIn);

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
