import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, expectError, removeProduct, signIn, uniqueCategory } from './catalog-helpers';
import { apiUrl, bearer, get, post, registerAndLogin } from './client';
import { awsEndpoint } from './local-cloud';

// The public storefront and CORS over real HTTP (issue 11); browser-cors.test.ts does the same
// from a real browser. The local cloud allows its Swagger UI's origin (the loopback endpoint).

const swaggerOrigin = awsEndpoint ? new URL(awsEndpoint).origin : undefined;
const FOREIGN = 'https://evil.example';

/** A raw request with an Origin: the reply's status, headers and JSON body. */
async function fromOrigin(method: string, path: string, origin: string | undefined, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(apiUrl + path, {
    method,
    headers: { ...(origin ? { origin } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text ? JSON.parse(text) : undefined };
}

beforeAll(signIn);

describe('the storefront, without a token', () => {
  it('lists banners, the flash sale, recommendations and a category, and shows a product and its comments', async () => {
    const category = uniqueCategory('anon');
    const id = await createProduct({ name: 'Browsable', category });
    const shopper = await registerAndLogin('Commenter');
    expect((await post('/api/product/comment/add', { product_id: id, content: 'nice' }, bearer(shopper.token))).status).toBe(200);

    for (const path of ['/api/home/banners', '/api/home/flashsale', '/api/home/recommend'])
      expect((await get(path)).status, path).toBe(200);
    expect((await get('/api/category/list', { category })).body.products.map((p: any) => p.id)).toEqual([id]);
    expect((await post('/api/product/detail', { id })).body).toMatchObject({ id, name: 'Browsable' });
    expect((await get('/api/product/comment/list', { product_id: id })).body.comments).toEqual([
      expect.objectContaining({ content: 'nice' }),
    ]);
  });

  it('answers the same with a valid token, and ignores a bad or expired one (no authorizer runs on a public route)', async () => {
    const id = await createProduct({ name: 'Same for all' });
    const anonymous = await post('/api/product/detail', { id });
    const shopper = await registerAndLogin('Logged in');
    expect(await post('/api/product/detail', { id }, bearer(shopper.token))).toEqual(anonymous);
    expect(await post('/api/product/detail', { id }, bearer('not.a.token'))).toEqual(anonymous);
    expect((await get('/api/home/banners', {}, bearer('expired.or.forged'))).status).toBe(200);
  });

  it('shows nothing an anonymous caller should not see: a removed product is not found', async () => {
    const id = await createProduct({ name: 'Gone soon' });
    await removeProduct(id);
    expectError(await post('/api/product/detail', { id }), 404, 'PRODUCT_NOT_FOUND');
    expectError(await get('/api/product/comment/list', { product_id: id }), 404, 'PRODUCT_NOT_FOUND');
  });

  it('may be cached briefly (Cache-Control: public, max-age); errors and private answers never', async () => {
    const banners = await fromOrigin('GET', '/api/home/banners', undefined);
    expect(banners.headers['cache-control']).toBe('public, max-age=30');
    const missing = await fromOrigin('POST', '/api/product/detail', undefined, {}, { id: Number.MAX_SAFE_INTEGER });
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const shopper = await registerAndLogin('Private');
    const mine = await fromOrigin('GET', '/api/cart/list', undefined, bearer(shopper.token));
    expect(mine.status).toBe(200);
    expect(mine.headers['cache-control']).toBe('no-store');
  });

  it('still refuses writes: comment, cart, order and the admin routes need a token', async () => {
    for (const [path, body] of [
      ['/api/product/comment/add', { product_id: 1, content: 'anonymous' }],
      ['/api/cart/add', { product_id: 1 }],
      ['/api/order/create', { items: [{ product_id: 1, quantity: 1 }] }],
      ['/api/product/create', { name: 'x', stock: 1, amount: 1, status: 1 }],
      ['/api/home/banner/save', { title: 'x', image_url: 'https://img.example.com/x.png' }],
    ] as const)
      expect((await post(path, body)).status, path).toBe(401);
  });
});

describe.skipIf(!swaggerOrigin)("CORS for the local Swagger UI's origin", () => {
  it('answers a preflight in the gateway, echoing the allowed origin', async () => {
    const preflight = await fromOrigin('OPTIONS', '/api/user/userinfo', swaggerOrigin, {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': swaggerOrigin, vary: 'Origin' });
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it("puts the CORS headers on the functions' answers and errors, and on the authorizer's 401 and 403", async () => {
    const ok = await fromOrigin('GET', '/api/home/banners', swaggerOrigin);
    expect(ok.headers['access-control-allow-origin']).toBe(swaggerOrigin);
    const invalid = await fromOrigin('POST', '/api/user/login', swaggerOrigin, {}, { mobile: 'x' });
    expect(invalid).toMatchObject({ status: 400, headers: { 'access-control-allow-origin': swaggerOrigin } });
    const noToken = await fromOrigin('POST', '/api/user/userinfo', swaggerOrigin, {}, {});
    expect(noToken).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED' },
      headers: { 'access-control-allow-origin': swaggerOrigin },
    });
    const badToken = await fromOrigin('POST', '/api/user/userinfo', swaggerOrigin, bearer('forged'), {});
    expect(badToken).toMatchObject({ status: 401, headers: { 'access-control-allow-origin': swaggerOrigin } });
    const notAdmin = await fromOrigin('GET', '/api/order/stuck', swaggerOrigin, bearer((await registerAndLogin()).token));
    expect(notAdmin).toMatchObject({ status: 403, headers: { 'access-control-allow-origin': swaggerOrigin } });
    const noRoute = await fromOrigin('GET', '/api/no/such/route', swaggerOrigin);
    expect(noRoute).toMatchObject({ status: 404, headers: { 'access-control-allow-origin': swaggerOrigin } });
  });

  it('gives a foreign origin no Access-Control-Allow-Origin of its own', async () => {
    const preflight = await fromOrigin('OPTIONS', '/api/user/userinfo', FOREIGN, { 'access-control-request-method': 'POST' });
    // API Gateway's static value is the stage's first origin: the browser refuses it for another page.
    expect(preflight.headers['access-control-allow-origin']).not.toBe(FOREIGN);
    const read = await fromOrigin('GET', '/api/home/banners', FOREIGN);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const error = await fromOrigin('POST', '/api/user/login', FOREIGN, {}, { mobile: 'x' });
    expect(error.headers['access-control-allow-origin']).toBeUndefined();
  });
});
