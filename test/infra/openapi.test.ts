import { describe, expect, it } from 'vitest';
import { productDetailResponse } from '../../functions/product/schemas';
import { registerRequest } from '../../functions/user/schemas';
import { openApiDocument } from '../../infra/openapi';
import { ROUTES } from '../../infra/routes';
import { synthStage } from './synth';

const { api, merged } = synthStage('dev');
const resources = merged.Resources as Record<string, any>;
const document = openApiDocument(api.routes);

/** "POST /api/user/login" for every API Gateway method in the synthesized template. */
function templateRoutes(): string[] {
  const pathOf = (id: string | undefined): string => {
    const parts: string[] = [];
    while (id && resources[id]?.Type === 'AWS::ApiGateway::Resource') {
      parts.unshift(resources[id].Properties.PathPart);
      id = resources[id].Properties.ParentId?.Ref;
    }
    return '/' + parts.join('/');
  };
  return (
    Object.values(resources)
      // CORS preflights (OPTIONS, answered by API Gateway itself) are not routes.
      .filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.HttpMethod !== 'OPTIONS')
      .map((m) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`)
      .sort()
  );
}

const documentRoutes = () =>
  Object.entries(document.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`))
    .sort();

describe('the OpenAPI document', () => {
  it('lists every route of the template, and only those', () => {
    expect(templateRoutes().length).toBeGreaterThan(30);
    expect(documentRoutes()).toEqual(templateRoutes());
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(templateRoutes());
  });

  it("describes inputs with the handlers' own zod schemas", () => {
    const body = (document.paths['/api/user/register'] as any).post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(registerRequest.shape).sort());
    expect(body.properties.gender).toMatchObject({ type: 'integer', minimum: 0, maximum: 2 });
    const query = (document.paths['/api/category/list'] as any).get.parameters.map((p: { name: string }) => p.name);
    expect(query.sort()).toEqual(['category', 'category_id', 'cursor', 'ps', 'sort']);
  });

  it("describes every 200 reply with the route's response schema, closed to other fields", () => {
    const reply = (p: string, method: string) => (document.paths[p] as any)[method].responses['200'].content['application/json'].schema;
    const detail = reply('/api/product/detail', 'post');
    expect(detail).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(detail.properties).sort()).toEqual(Object.keys(productDetailResponse.shape).sort());
    expect(reply('/api/order/list', 'post')).toMatchObject({ type: 'array', items: { type: 'object', additionalProperties: false } });
    expect(reply('/api/cart/remove', 'post')).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('marks only the public routes as needing no token', () => {
    const open = Object.entries(document.paths).flatMap(([p, ops]) =>
      Object.entries(ops as Record<string, { security?: unknown[] }>)
        .filter(([, op]) => op.security?.length === 0)
        .map(([m]) => `${m.toUpperCase()} ${p}`),
    );
    expect(open.sort()).toEqual(
      ROUTES.filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    expect(open).toHaveLength(11);
  });
});
