import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';

// What a route's Lambda answers a browser: CORS for the stage's origins (with several, the
// request's Origin echoed only when allowed) and Cache-Control, on successes and errors alike.

const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'test', awsRequestId: 'r1' } as any;
const event = (origin: string | undefined, query: Record<string, string> = {}) =>
  ({
    httpMethod: 'GET',
    resource: '/api/home/banners',
    headers: origin ? { Origin: origin } : {},
    queryStringParameters: query,
    requestContext: { requestId: 'r1' },
    body: null,
  }) as any;

async function routeHandler(env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { apiHandler } = await import('../../shared/handlers/api');
  const { notFound } = await import('../../shared/errors');
  return apiHandler(z.object({ missing: z.enum(['yes', 'no']).optional() }), async ({ input }) => {
    if (input.missing === 'yes') throw notFound('NOT_HERE', 'not here');
    return { ok: true };
  });
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllEnvs());

describe("a route function's answer", () => {
  const TWO = 'http://127.0.0.1:4000,https://shop.example.com';

  it('echoes an allowed Origin, with Vary: Origin, on a 200 and on an error', async () => {
    const handler = await routeHandler({ ROUTE_ACCESS: 'public', CORS_ORIGINS: TWO, PUBLIC_MAX_AGE_SECONDS: '30' });
    for (const origin of ['https://shop.example.com', 'http://127.0.0.1:4000']) {
      const ok = await handler(event(origin), context);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers).toMatchObject({ 'access-control-allow-origin': origin, vary: 'Origin' });
      const error = await handler(event(origin, { missing: 'yes' }), context);
      expect(error.statusCode).toBe(404);
      expect(error.headers).toMatchObject({ 'access-control-allow-origin': origin, vary: 'Origin' });
      const invalid = await handler(event(origin, { missing: 'maybe' }), context);
      expect(invalid.statusCode).toBe(400);
      expect(invalid.headers).toMatchObject({ 'access-control-allow-origin': origin });
    }
  });

  it('gives a foreign origin, or a stage without CORS, no Access-Control-Allow-Origin', async () => {
    const handler = await routeHandler({ ROUTE_ACCESS: 'public', CORS_ORIGINS: TWO });
    const foreign = await handler(event('https://evil.example'), context);
    expect(foreign.headers).not.toHaveProperty('access-control-allow-origin');
    expect(foreign.headers).toMatchObject({ vary: 'Origin' });
    vi.resetModules();
    vi.unstubAllEnvs();
    const none = await (await routeHandler({ ROUTE_ACCESS: 'public' }))(event('https://shop.example.com'), context);
    expect(none.headers).not.toHaveProperty('access-control-allow-origin');
    expect(none.headers).not.toHaveProperty('vary');
  });

  it('lets caches keep a public read for its max-age, and nothing else (errors, private routes)', async () => {
    const read = await routeHandler({ ROUTE_ACCESS: 'public', PUBLIC_MAX_AGE_SECONDS: '30' });
    expect((await read(event(undefined), context)).headers).toMatchObject({ 'cache-control': 'public, max-age=30' });
    expect((await read(event(undefined, { missing: 'yes' }), context)).headers).toMatchObject({ 'cache-control': 'no-store' });
    vi.resetModules();
    vi.unstubAllEnvs();
    const mine = await routeHandler({ ROUTE_ACCESS: 'user' });
    const refused = await mine(event(undefined), context);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers).toMatchObject({ 'cache-control': 'no-store' });
  });

  it('answers a public route without a caller: a token is not needed, and none is looked at', async () => {
    const handler = await routeHandler({ ROUTE_ACCESS: 'public' });
    const reply = await handler({ ...event(undefined), headers: { Authorization: 'Bearer expired.or.bad' } }, context);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({ 'cache-control': 'no-store' });
  });
});
