import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
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

export let admin: Headers;
/** A normal (non-admin) user, who reads the storefront in most tests. */
export let shopper: Headers;

/** Signs in the admin and a new shopper: every catalogue test file runs it before its tests. */
export async function signIn(): Promise<void> {
  admin = await asAdmin();
  shopper = bearer((await registerAndLogin('Shopper Sam')).token);
}

/** An id that is valid in form (a safe positive integer) but names no product. */
export const UNKNOWN_ID = Number.MAX_SAFE_INTEGER;

/** A category no other test uses: letters, digits and '-', at most 40 characters. */
export function uniqueCategory(label: string): string {
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
export async function createProduct(fields: ProductFields = {}): Promise<number> {
  const reply = await post('/api/product/create', { name: 'Widget', stock: 10, amount: 100, status: 1, ...fields }, admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body).toEqual({ id: expect.any(Number) });
  return reply.body.id;
}

export interface Seeded {
  id: number;
  amount: number;
  stock: number;
}

/** Creates one product per amount, one after another (so creation order is the newest order). */
export async function seedCategory(category: string, amounts: number[]): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (const [i, amount] of amounts.entries()) {
    const stock = 3 * i + 1;
    const id = await createProduct({ name: `Item ${i}`, desc: `seeded ${i}`, category, amount, stock, stock_shards: (i % 4) + 1 });
    seeded.push({ id, amount, stock });
  }
  return seeded;
}

export async function updateProduct(id: number, fields: Record<string, unknown>): Promise<void> {
  const reply = await post('/api/product/update', { id, ...fields }, admin);
  expect(reply, JSON.stringify(fields)).toEqual({ status: 200, body: {} });
}

export async function removeProduct(id: number): Promise<void> {
  expect(await post('/api/product/remove', { id }, admin)).toEqual({ status: 200, body: {} });
}

export const detailOf = (id: number) => post('/api/product/detail', { id }, shopper);

export async function detailBody(id: number): Promise<any> {
  const reply = await detailOf(id);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

export function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body).toMatchObject({ code, message: expect.any(String) });
}

export const ids = (items: Array<{ id: number }>) => items.map((item) => item.id);

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
export async function pageAll(
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
export async function recommendIds(): Promise<number[]> {
  return ids((await pageAll('recommend', {}, { ps: 50 })).items);
}

/** The ids of one category list read to the end. */
export async function categoryIds(category: string, sort = 'newest'): Promise<number[]> {
  return ids((await pageAll('category', { category, sort }, { ps: 50 })).items);
}

/** Asserts each id occurs exactly once in `seen`. */
export function expectEachOnce(seen: number[], expected: number[]): void {
  for (const id of expected)
    expect(
      seen.filter((s) => s === id),
      `product ${id}`,
    ).toHaveLength(1);
}

export const STOREFRONT_KEYS = [
  'category',
  'category_id',
  'create_time',
  'description',
  'detail',
  'id',
  'image_url',
  'images',
  'name',
  'price',
  'sales',
  'status',
  'stock',
  'subtitle',
  'update_time',
];

/** How a product made without category_id, subtitle, images or detail is shown (issue 12's fields). */
export const PLAIN = { category_id: 0, subtitle: '', images: [], image_url: '', detail: '' };
