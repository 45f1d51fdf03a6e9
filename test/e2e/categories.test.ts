import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, detailBody, expectError, ids, removeProduct, shopper, signIn, updateProduct } from './catalog-helpers';
import { get, post } from './client';

// Categories as records (admin create/update/remove, the public tree, products filed by
// category_id) and how a product is shown (subtitle, https images, detail), over real HTTP.
// Other files share the local cloud: every test names its own categories.

beforeAll(signIn);

const unique = (label: string) => `${label} ${randomBytes(4).toString('hex')}`;

async function newCategory(fields: Record<string, unknown>): Promise<{ id: number; name: string; parent_id: number }> {
  const reply = await post('/api/category/create', fields, admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

async function newProduct(fields: Record<string, unknown>): Promise<number> {
  const reply = await post('/api/product/create', { name: 'Thing', stock: 5, amount: 100, ...fields }, admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.id;
}

const tree = async () => {
  const reply = await get('/api/category/tree');
  expect(reply.status).toBe(200);
  return reply.body.categories as Array<{ id: number; name: string; children: Array<{ id: number }> }>;
};

const listIds = async (query: Record<string, string | number>) => {
  const reply = await get('/api/category/list', { ps: 50, ...query }, shopper);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return ids(reply.body.products);
};

describe('category admin routes', () => {
  it('answer 403 ADMIN_ONLY to a shopper and change nothing', async () => {
    const top = await newCategory({ name: unique('Guarded') });
    expectError(await post('/api/category/create', { name: unique('Sneaky') }, shopper), 403, 'ADMIN_ONLY');
    expectError(await post('/api/category/update', { id: top.id, name: 'Mine' }, shopper), 403, 'ADMIN_ONLY');
    expectError(await post('/api/category/remove', { id: top.id }, shopper), 403, 'ADMIN_ONLY');
    expect((await tree()).find((c) => c.id === top.id)).toMatchObject({ name: top.name });
  });

  it('keep the tree two levels deep: a child goes only under an existing top-level category', async () => {
    const top = await newCategory({ name: unique('Top') });
    const child = await newCategory({ name: unique('Child'), parent_id: top.id });
    expect(child).toEqual({ id: expect.any(Number), name: child.name, parent_id: top.id, sort: 0, status: 1 });
    expectError(await post('/api/category/create', { name: unique('Grandchild'), parent_id: child.id }, admin), 400, 'INVALID_PARENT');
    expectError(await post('/api/category/create', { name: unique('Orphan'), parent_id: 9_999_999 }, admin), 400, 'INVALID_PARENT');
    expectError(await post('/api/category/create', { name: '' }, admin), 400, 'INVALID_INPUT');
    expectError(await post('/api/category/create', { name: 'Bad<script>' }, admin), 400, 'INVALID_INPUT');
    expectError(await post('/api/category/update', { id: 9_999_999, name: 'x' }, admin), 404, 'CATEGORY_NOT_FOUND');
  });
});

describe('the public tree', () => {
  it('lists categories that are on, by sort, children under their parent; off ones (and an off parent’s children) are hidden', async () => {
    const later = await newCategory({ name: unique('Later'), sort: 9000 });
    const first = await newCategory({ name: unique('First'), sort: 8999 });
    const b = await newCategory({ name: unique('B'), parent_id: first.id, sort: 2 });
    const a = await newCategory({ name: unique('A'), parent_id: first.id, sort: 1 });
    const off = await newCategory({ name: unique('Off'), parent_id: first.id, status: 2 });

    // No token: the tree is a public read.
    const mine = (await tree()).filter((c) => c.id === later.id || c.id === first.id);
    expect(mine).toEqual([
      {
        id: first.id,
        name: first.name,
        parent_id: 0,
        sort: 8999,
        children: [
          { id: a.id, name: a.name, parent_id: first.id, sort: 1 },
          { id: b.id, name: b.name, parent_id: first.id, sort: 2 },
        ],
      },
      { id: later.id, name: later.name, parent_id: 0, sort: 9000, children: [] },
    ]);
    expect(ids((await tree()).flatMap((c) => c.children))).not.toContain(off.id);

    expect((await post('/api/category/update', { id: first.id, status: 2 }, admin)).status).toBe(200);
    expect(ids(await tree())).not.toContain(first.id);
  });
});

describe('products filed by category_id', () => {
  it('are listed by the category id and by its name, named as the category is, also after a rename', async () => {
    const top = await newCategory({ name: unique('Kitchen') });
    const child = await newCategory({ name: unique('Mugs'), parent_id: top.id });
    const id = await newProduct({ name: 'Blue mug', category_id: child.id, category: 'ignored' });
    expect(await detailBody(id)).toMatchObject({ category_id: child.id, category: child.name });
    expect(await listIds({ category_id: child.id })).toEqual([id]);
    expect(await listIds({ category: child.name })).toEqual([id]);
    expect(await listIds({ category: child.name.toUpperCase() })).toEqual([id]);

    const renamed = unique('Cups');
    expect(await post('/api/category/update', { id: child.id, name: renamed, sort: 5 }, admin)).toEqual({
      status: 200,
      body: { id: child.id, name: renamed, parent_id: top.id, sort: 5, status: 1 },
    });
    expect(await detailBody(id)).toMatchObject({ category_id: child.id, category: renamed });
    expect(await listIds({ category: renamed })).toEqual([id]);
    expect(await listIds({ category: child.name })).toEqual([]);
  });

  it('refuse a category_id that names no category, or one that is off', async () => {
    const off = await newCategory({ name: unique('Closed'), status: 2 });
    const create = (category_id: number) => post('/api/product/create', { name: 'X', stock: 1, amount: 1, category_id }, admin);
    expectError(await create(9_999_999), 400, 'INVALID_CATEGORY');
    expectError(await create(off.id), 400, 'INVALID_CATEGORY');
    const id = await newProduct({ name: 'Y' });
    expectError(await post('/api/product/update', { id, category_id: off.id }, admin), 400, 'INVALID_CATEGORY');
    expect(await detailBody(id)).toMatchObject({ category_id: 0, category: 'general' });
  });

  it("keep go-zero-mall's free-text category: a `category` alone takes a product out of its category record", async () => {
    const shelf = await newCategory({ name: unique('Shelf') });
    const id = await newProduct({ category_id: shelf.id });
    const text = `free-${randomBytes(4).toString('hex')}`;
    await updateProduct(id, { category: text });
    expect(await detailBody(id)).toMatchObject({ category_id: 0, category: text });
    expect(await listIds({ category: text })).toEqual([id]);
    expect(await listIds({ category_id: shelf.id })).toEqual([]);
  });
});

describe('removing a category', () => {
  it('is refused while it has children (409 CATEGORY_HAS_CHILDREN) or products (409 CATEGORY_IN_USE), on or off sale', async () => {
    const top = await newCategory({ name: unique('Garden') });
    const child = await newCategory({ name: unique('Tools'), parent_id: top.id });
    const other = await newCategory({ name: unique('Other') });
    const id = await newProduct({ category_id: child.id, status: 2 });

    expectError(await post('/api/category/remove', { id: top.id }, admin), 409, 'CATEGORY_HAS_CHILDREN');
    expectError(await post('/api/category/remove', { id: child.id }, admin), 409, 'CATEGORY_IN_USE');

    // Moved away, the category is empty; then the parent is childless.
    await updateProduct(id, { category_id: other.id });
    expect(await post('/api/category/remove', { id: child.id }, admin)).toEqual({ status: 200, body: {} });
    expect(await post('/api/category/remove', { id: top.id }, admin)).toEqual({ status: 200, body: {} });
    expectError(await post('/api/category/remove', { id: top.id }, admin), 404, 'CATEGORY_NOT_FOUND');

    // A removed product no longer holds its category.
    expectError(await post('/api/category/remove', { id: other.id }, admin), 409, 'CATEGORY_IN_USE');
    await removeProduct(id);
    expect(await post('/api/category/remove', { id: other.id }, admin)).toEqual({ status: 200, body: {} });
  });
});

describe('how a product is shown', () => {
  const images = ['https://img.example.com/a.png', 'https://img.example.com/b.jpg?w=640'];

  it('stores subtitle, images and detail; detail and lists answer them with image_url, the first image', async () => {
    const text = `shown-${randomBytes(4).toString('hex')}`;
    const id = await newProduct({ name: 'Lamp', category: text, subtitle: 'Warm light', images, detail: 'Long text\nwith lines' });
    const shown = { subtitle: 'Warm light', images, image_url: images[0], detail: 'Long text\nwith lines' };
    expect(await detailBody(id)).toMatchObject(shown);
    const list = await get('/api/category/list', { category: text }, shopper);
    expect(list.body.products).toEqual([expect.objectContaining({ id, ...shown })]);

    await updateProduct(id, { images: [images[1]] });
    expect(await detailBody(id)).toMatchObject({ images: [images[1]], image_url: images[1], subtitle: 'Warm light' });
    await updateProduct(id, { images: [] });
    expect(await detailBody(id)).toMatchObject({ images: [], image_url: '' });
  });

  it('takes only https image URLs, at most 9, each at most 500 characters', async () => {
    const bad = [
      ['http', ['http://img.example.com/a.png']],
      ['javascript', ['javascript:alert(1)']],
      ['no host', ['https:///a.png']],
      ['relative', ['/a.png']],
      ['too many', Array.from({ length: 10 }, (_, i) => `https://img.example.com/${i}.png`)],
      ['too long', [`https://img.example.com/${'a'.repeat(500)}.png`]],
    ] as const;
    for (const [label, list] of bad) {
      const reply = await post('/api/product/create', { name: 'X', stock: 1, amount: 1, images: list }, admin);
      expect(reply.status, label).toBe(400);
      expect(reply.body.code, label).toBe('INVALID_INPUT');
    }
    const id = await newProduct({});
    expectError(await post('/api/product/update', { id, images: ['http://img.example.com/a.png'] }, admin), 400, 'INVALID_INPUT');
    expectError(await post('/api/product/update', { id, subtitle: 'x'.repeat(201) }, admin), 400, 'INVALID_INPUT');
  });
});
