import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  createProduct,
  expectError,
  ids,
  PLAIN,
  pageAll,
  removeProduct,
  shopper,
  signIn,
  UNKNOWN_ID,
  uniqueCategory,
  updateProduct,
} from './catalog-helpers';
import { bearer, get, post, registerAndLogin } from './client';

// The product catalogue over real HTTP (the storefront's own content: comments, banners and the flash sale); see catalog-helpers.ts.

beforeAll(signIn);

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
      name: `B1 ${tag}`,
      url: 'https://img.example.com/1.png',
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
    expect(b3v2).toEqual({
      id: b3.id,
      title: `B3 v2 ${tag}`,
      image_url: 'https://img.example.com/3b.png',
      link_url: '',
      sort: 2,
      // lebron's names for title and image_url (its Banner is {id, name, url})
      name: `B3 v2 ${tag}`,
      url: 'https://img.example.com/3b.png',
    });
    expect(mine(await listBanners())).toEqual([b4, b2, b3v2, b1]);

    expect(await post('/api/home/banner/remove', { id: b2.id }, admin)).toEqual({ status: 200, body: {} });
    expect(mine(await listBanners())).toEqual([b4, b3v2, b1]);
    // Removing it again is harmless.
    expect((await post('/api/home/banner/remove', { id: b2.id }, admin)).status).toBeLessThan(500);

    for (const b of [b1, b3, b4]) await post('/api/home/banner/remove', { id: b.id }, admin);
    expect(mine(await listBanners())).toEqual([]);
  });

  it('refuses a link that leaves the site other than by https (400 INVALID_INPUT), and saves nothing', async () => {
    const title = `Off-site ${tag}`;
    for (const link_url of ['//evil.example', '/\\evil.example', 'http://evil.example', 'javascript:alert(1)', 'https:evil.example']) {
      const reply = await post('/api/home/banner/save', { title, image_url: 'https://img.example.com/e.png', link_url }, admin);
      expectError(reply, 400, 'INVALID_INPUT');
      expect(reply.body.details).toEqual([
        { field: 'link_url', problem: 'must be empty, a path starting with a single /, or an https URL' },
      ]);
    }
    expect((await listBanners()).some((b) => b.title === title)).toBe(false);
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
      ...PLAIN,
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
