import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setRoleByMobile } from '../../infra/admin/admin-role';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud';
import { apiUrl, getAt, postAt, type Reply } from './client';

// go-zero-mall's Postman collection (gomall.postman_collection.json), replayed as its README uses
// it: its routes, bodies and order, `Authorization: bearer <token>` in lower case, and the ids it
// hard-codes (1, 2 and 11), which only mean something in an empty shop. Pay create, detail and
// callback come straight after the order, as go-zero-mall's client calls them. Then lebron's
// four storefront reads (seed 002), read with its field names.
//
// The shop must be empty: MALL_REPLAY_API_URL (with MALL_REPLAY_DYNAMO_ENDPOINT, to make the
// replaying user an admin the operator's way) points at a fresh `MALL_DEMO=off npm start`;
// otherwise the suite's local cloud is used if nobody has registered yet, or a fresh one is started.

const GO_ZERO_USER = { name: 'ving', gender: 1, mobile: '15212230311', password: '123456' };
/** The mall asks new passwords for 8 characters at least; the collection's is 6. */
const LONGER_PASSWORD = 'ving-123456';
const APPLE = { name: '苹果', desc: '这个一个又大又圆的苹果，5块钱一个！', stock: 100, amount: 5, status: 0 };

let base = '';
let dedicated: LocalCloud | undefined;
let token = '';
const auth = () => ({ authorization: `bearer ${token}` });
const call = (route: string, body?: unknown, withToken = true): Promise<Reply> => postAt(base, route, body, withToken ? auth() : {});

/** Registers go-zero-mall's user in an empty shop, as uid 1 (starting a fresh local cloud when the suite's is not empty). */
async function emptyShop(): Promise<{ registered: Reply; dynamoEndpoint: string | undefined }> {
  const register = (url: string) => postAt(url, '/api/user/register', { ...GO_ZERO_USER, password: LONGER_PASSWORD });
  if (process.env.MALL_REPLAY_API_URL) {
    base = process.env.MALL_REPLAY_API_URL.replace(/\/$/, '');
    return { registered: await register(base), dynamoEndpoint: process.env.MALL_REPLAY_DYNAMO_ENDPOINT };
  }
  const sharedDynamo = inject('dynamoEndpoint');
  if (sharedDynamo) {
    const registered = await register(apiUrl);
    if (registered.status === 200 && registered.body.id === 1) {
      base = apiUrl;
      return { registered, dynamoEndpoint: sharedDynamo };
    }
  }
  dedicated = await startLocalCloud({ port: 0, retryPauseMs: 20, env: { ...process.env, MALL_PAY_SANDBOX: '1' } });
  base = dedicated.apiUrl;
  return { registered: await register(base), dynamoEndpoint: dedicated.dynamoEndpoint };
}

/** Reads order 1 until the payment's event has reached it (the order service learns it from the bus). */
async function paidOrder(): Promise<Reply> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = await call('/api/order/detail', { id: 1 });
    if (reply.body?.state === 'paid' || Date.now() > deadline) return reply;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const { registered, dynamoEndpoint } = await emptyShop();
  expect(registered).toMatchObject({ status: 200, body: { id: 1, name: 'ving', gender: 1, mobile: GO_ZERO_USER.mobile } });
  // go-zero-mall has no roles; here products are an admin's (npm run admin:grant).
  if (!dynamoEndpoint) throw new Error('set MALL_REPLAY_DYNAMO_ENDPOINT (npm start prints it) to make the replaying user an admin');
  await setRoleByMobile(GO_ZERO_USER.mobile, 'admin', { endpoint: dynamoEndpoint });
}, 240_000);
afterAll(async () => dedicated?.stop(), 60_000);

describe("go-zero-mall's Postman collection, replayed on an empty shop", () => {
  it('user: register (6-character password refused, clearly), login, userinfo with lower-case bearer', async () => {
    expect(await call('/api/user/register', GO_ZERO_USER, false)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT', message: expect.stringContaining('password') },
    });
    const login = await call('/api/user/login', { mobile: GO_ZERO_USER.mobile, password: LONGER_PASSWORD }, false);
    expect(login).toMatchObject({ status: 200, body: { accessToken: expect.any(String), accessExpire: expect.any(Number) } });
    token = login.body.accessToken;
    expect(await call('/api/user/userinfo')).toMatchObject({
      status: 200,
      body: { id: 1, name: 'ving', gender: 1, mobile: GO_ZERO_USER.mobile },
    });
  });

  it('product: create with status 0, detail 1, update, remove 2 (there is none)', async () => {
    expect(await call('/api/product/create', APPLE)).toEqual({ status: 200, body: { id: 1 } });
    const detail = await call('/api/product/detail', { id: 1 });
    // go-zero-mall's 0 is its default, stored as on sale: 1.
    expect(detail).toMatchObject({ status: 200, body: { id: 1, name: '苹果', desc: APPLE.desc, stock: 100, amount: 5, status: 1 } });
    expect(await call('/api/product/update', { id: 1, ...APPLE, desc: `${APPLE.desc}！` })).toEqual({ status: 200, body: {} });
    expect((await call('/api/product/detail', { id: 1 })).body).toMatchObject({ desc: `${APPLE.desc}！`, status: 1 });
    expect(await call('/api/product/remove', { id: 2 })).toMatchObject({ status: 404, body: { code: 'PRODUCT_NOT_FOUND' } });
  });

  it('order create, then pay create, detail and callback straight away: the wrong amount refused, 5 paid', async () => {
    expect(await call('/api/order/create', { uid: 1, pid: 1, amount: 5, status: 0 })).toMatchObject({
      status: 200,
      body: { id: 1, status: 0 },
    });
    // The collection pays 100 for an order of 5.
    const wrong = await call('/api/pay/create', { uid: 1, oid: 1, amount: 100 });
    expect(wrong).toMatchObject({ status: 400, body: { code: 'AMOUNT_MISMATCH', message: expect.stringContaining('5') } });
    expect(await call('/api/pay/create', { uid: 1, oid: 1, amount: 5 })).toEqual({ status: 200, body: { id: 1 } });
    expect(await call('/api/pay/detail', { id: 1 })).toEqual({
      status: 200,
      body: { id: 1, uid: 1, oid: 1, amount: 5, source: 0, status: 0, state: 'awaiting' },
    });
    const callback = { id: 1, uid: 1, oid: 1, amount: 100, source: 1, status: 1 };
    expect(await call('/api/pay/callback', callback)).toMatchObject({ status: 400, body: { code: 'AMOUNT_MISMATCH' } });
    expect((await call('/api/pay/detail', { id: 1 })).body).toMatchObject({ status: 0, state: 'awaiting' });
    expect(await call('/api/pay/callback', { ...callback, amount: 5 })).toEqual({
      status: 200,
      body: { id: 1, uid: 1, oid: 1, amount: 5, source: 1, status: 1, state: 'paid' },
    });
    expect(await paidOrder()).toMatchObject({ status: 200, body: { id: 1, uid: 1, pid: 1, amount: 5, status: 1, state: 'paid' } });
  });

  it('order detail, update 11, list, remove 11: orders 2 and 11 do not exist', async () => {
    expect(await call('/api/order/detail', { id: 2 })).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    const update11 = await call('/api/order/update', { id: 11, uid: 1, pid: 1, amount: 5, status: 1 });
    expect(update11).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    // What go-zero-mall's client read back is accepted unchanged.
    expect(await call('/api/order/update', { id: 1, uid: 1, pid: 1, amount: 5, status: 1 })).toEqual({ status: 200, body: {} });
    const list = await call('/api/order/list', { uid: 1 });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: 1, uid: 1, pid: 1, amount: 5, status: 1 })]);
    expect(await call('/api/order/remove', { id: 11 })).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
  });
});

/** lebron's Product (seed 002): the fields its client reads. */
const lebronProduct = {
  id: 1,
  name: '苹果',
  description: expect.any(String),
  price: 5,
  stock: expect.any(Number),
  category: 'general',
  status: 1,
  create_time: expect.any(Number),
  update_time: expect.any(Number),
};

describe("lebron's four storefront reads, with its field names", () => {
  // lebron's home reads need no login; a signed-in shopper's token is sent all the same, so this
  // passes whether the storefront is public or not.
  const read = (route: string, query: Record<string, string | number> = {}) => getAt(base, route, query, auth());

  it('banners: {banners: [{id, name, url}]}', async () => {
    const saved = await call('/api/home/banner/save', { title: '苹果季', image_url: 'https://img.example.com/apple.png' });
    expect(saved.status).toBe(200);
    const { status, body } = await read('/api/home/banners');
    expect(status).toBe(200);
    expect(body.banners).toContainEqual(
      expect.objectContaining({ id: saved.body.id, name: '苹果季', url: 'https://img.example.com/apple.png' }),
    );
  });

  it('flash sale: {start_time, products}', async () => {
    const start = Math.floor(Date.now() / 1000) + 3600;
    expect((await call('/api/home/flashsale/set', { start_time: start, product_ids: [1] })).status).toBe(200);
    expect(await read('/api/home/flashsale')).toMatchObject({ status: 200, body: { start_time: start, products: [lebronProduct] } });
  });

  it('recommend: {products, is_end, recommend_time}', async () => {
    const { status, body } = await read('/api/home/recommend', { cursor: 0, ps: 20 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ products: [lebronProduct], is_end: true, recommend_time: expect.any(Number) });
  });

  it('category list: {products, is_end, last_val}', async () => {
    const { status, body } = await read('/api/category/list', { cursor: 0, ps: 20, category: 'general', sort: 'newest' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ products: [lebronProduct], is_end: true, last_val: expect.any(Number) });
  });
});
