import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config';
import { gatewayResponseHeaders, LocalPreflights } from '../../infra/local/api-cors';
import { LocalThrottle } from '../../infra/local/api-throttle';
import { SynthesizedTemplate } from '../../infra/local/template';
import { ROUTES } from '../../infra/routes';
import { synthStage } from './synth';

// CORS and the storefront's public reads, as the stage configures them (issue 11).

const TWO = 'https://shop.example.com,https://admin.example.com';
const dev = synthStage('dev');
const two = synthStage('dev', { MALL_CORS_ORIGINS: TWO });
const prod = synthStage('prod');

const all = (built: typeof dev) => Object.entries(built.merged.Resources as Record<string, any>);
const ofType = (built: typeof dev, type: string) => all(built).filter(([, r]) => r.Type === type);
const preflights = (built: typeof dev) => ofType(built, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
const routeFunctions = (built: typeof dev) =>
  ofType(built, 'AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.ROUTE_ACCESS);
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const localTemplate = (built: typeof dev) =>
  new SynthesizedTemplate(
    built.app.outdir,
    built.templates.map((t) => t.stackName),
  );

describe('CORS', () => {
  it('is set per stage: dev allows a front end on localhost:5173, prod none until MALL_CORS_ORIGINS names the shop', () => {
    expect(stageConfig('dev', {}).corsOrigins).toEqual(['http://localhost:5173']);
    expect(stageConfig('prod', {}).corsOrigins).toEqual([]);
    expect(stageConfig('prod', { MALL_CORS_ORIGINS: ' https://shop.example.com , https://shop.example.com' }).corsOrigins).toEqual([
      'https://shop.example.com',
    ]);
    expect(stageConfig('dev', { MALL_CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    for (const bad of ['*', 'https://shop.example.com/', 'shop.example.com', 'https://shop.example.com/app'])
      expect(() => stageConfig('prod', { MALL_CORS_ORIGINS: bad }), bad).toThrow(/MALL_CORS_ORIGINS/);
  });

  it('answers preflights in API Gateway (a MOCK OPTIONS method on every route, no token, no function)', () => {
    const methods = preflights(dev);
    // One per path: GET and POST /api/order/list share theirs.
    expect(methods).toHaveLength(new Set(ROUTES.map((r) => r.path)).size);
    for (const [id, m] of methods) {
      expect(m.Properties.AuthorizationType, id).toBe('NONE');
      expect(m.Properties.Integration.Type, id).toBe('MOCK');
      expect(m.Properties.Integration.IntegrationResponses[0].ResponseParameters, id).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': "'http://localhost:5173'",
        'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization,Idempotency-Key,X-Correlation-Id'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
        'method.response.header.Access-Control-Max-Age': "'600'",
      });
    }
    expect(preflights(prod)).toHaveLength(0);
  });

  it("puts the CORS headers on the gateway's own errors (401, 403, 429, 4xx, 5xx): the origin, or with several the request's", () => {
    for (const [built, origin] of [
      [dev, "'http://localhost:5173'"],
      [two, 'method.request.header.Origin'],
    ] as const) {
      const responses = ofType(built, 'AWS::ApiGateway::GatewayResponse');
      expect(responses.map(([, r]) => r.Properties.ResponseType)).toEqual(
        expect.arrayContaining(['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX']),
      );
      for (const [id, r] of responses)
        expect(r.Properties.ResponseParameters, id).toEqual({
          'gatewayresponse.header.Access-Control-Allow-Origin': origin,
          'gatewayresponse.header.Vary': "'Origin'",
        });
    }
    for (const [id, r] of ofType(prod, 'AWS::ApiGateway::GatewayResponse')) expect(r.Properties.ResponseParameters, id).toBeUndefined();
  });

  it('tells every route function the allowed origins, and no function in a stage without CORS', () => {
    for (const [id, f] of routeFunctions(two)) expect(f.Properties.Environment.Variables.CORS_ORIGINS, id).toBe(TWO);
    for (const [id, f] of routeFunctions(prod)) expect(f.Properties.Environment.Variables.CORS_ORIGINS, id).toBeUndefined();
  });

  it("is answered by the local cloud from the template's preflights: an allowed origin echoed, a foreign one not", () => {
    const local = new LocalPreflights(localTemplate(two).preflights());
    const ask = (origin: string) => local.answer('/api/user/login', request({ origin }));
    expect(ask('https://admin.example.com')).toMatchObject({
      statusCode: 204,
      headers: { 'access-control-allow-origin': 'https://admin.example.com', vary: 'Origin', 'access-control-max-age': '600' },
    });
    expect(ask('https://shop.example.com')?.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    // API Gateway's static value (the first origin) stays: the browser refuses it for another page.
    expect(ask('https://evil.example')?.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(local.answer('/api/no/such/route', request({}))).toBeUndefined();
  });

  it("adds the template's gateway response headers in the local cloud", () => {
    const responses = localTemplate(two).gatewayResponses();
    const headers = gatewayResponseHeaders(responses.UNAUTHORIZED!.parameters, request({ origin: 'https://shop.example.com' }));
    expect(headers).toEqual({ 'access-control-allow-origin': 'https://shop.example.com', vary: 'Origin' });
    expect(gatewayResponseHeaders(responses.UNAUTHORIZED!.parameters, request({}))).toEqual({ vary: 'Origin' });
  });
});

describe('the public storefront reads', () => {
  const publicReads = ROUTES.filter((r) => r.publicRead);

  it('are public, each with a reason, and none of them writes', () => {
    expect(publicReads.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/category/list',
      'GET /api/category/tree',
      'GET /api/home/banners',
      'GET /api/home/flashsale',
      'GET /api/home/recommend',
      'GET /api/product/comment/list',
      'GET /api/product/search',
      'POST /api/product/detail',
    ]);
    for (const r of publicReads) expect(r.access === 'public' && r.publicBecause, r.path).toBeTruthy();
    for (const r of ROUTES.filter((r) => /\/(add|save|set|remove|create|update)$/.test(r.path)))
      expect(r.access, r.path).not.toBe('public');
  });

  it('are throttled by the stage on their own, below the stage-wide limit, and may be cached for the configured max-age', () => {
    const [[, stage] = []] = ofType(prod, 'AWS::ApiGateway::Stage');
    const config = stageConfig('prod', {});
    const settings = stage.Properties.MethodSettings;
    for (const r of publicReads)
      expect(settings, r.path).toContainEqual(
        expect.objectContaining({
          HttpMethod: r.method,
          ResourcePath: r.path.replaceAll('/', '~1').replace(/^/, '/'),
          ThrottlingRateLimit: config.publicReads.rateLimit,
          ThrottlingBurstLimit: config.publicReads.burstLimit,
        }),
      );
    expect(config.publicReads.rateLimit).toBeLessThan(config.throttle.rateLimit);
    const maxAges = routeFunctions(prod).map(([, f]) => f.Properties.Environment.Variables.PUBLIC_MAX_AGE_SECONDS);
    expect(maxAges.filter((a) => a === '30')).toHaveLength(publicReads.length);
    expect(maxAges.filter((a) => a !== undefined)).toHaveLength(publicReads.length);
    expect(stageConfig('prod', { MALL_PUBLIC_MAX_AGE_SECONDS: '5' }).publicReads.maxAgeSeconds).toBe(5);
  });

  it("are throttled in the local cloud as the stage's method settings say: a bucket per method, refilled at the rate", () => {
    let now = 0;
    const throttle = new LocalThrottle(localTemplate(prod).methodSettings(), () => now);
    const { rateLimit, burstLimit } = stageConfig('prod', {}).publicReads;
    const burst = (method: string, path: string, n: number) =>
      Array.from({ length: n }, () => throttle.take(method, path)).filter(Boolean).length;
    expect(burst('GET', '/api/home/banners', burstLimit + 50)).toBe(burstLimit);
    // Another public read has its own bucket; a private route the stage's larger one.
    expect(burst('GET', '/api/home/recommend', burstLimit)).toBe(burstLimit);
    expect(burst('GET', '/api/cart/list', burstLimit + 50)).toBe(burstLimit + 50);
    now += 1000;
    expect(burst('GET', '/api/home/banners', rateLimit * 2)).toBe(rateLimit);
  });
});
