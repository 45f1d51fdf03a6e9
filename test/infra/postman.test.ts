import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../infra/openapi';
import { postmanCollection } from '../../infra/postman';
import { ROUTES } from '../../infra/routes';

// npm run postman: the OpenAPI document as a Postman collection, by Postman's converter.

describe('the Postman collection', () => {
  it('has one request per route, foldered by service, each with a 200 example typed by the response schema', async () => {
    const collection = await postmanCollection(openApiDocument(ROUTES));
    const requests = collection.item.flatMap((folder) => folder.item);
    const routeOf = (r: (typeof requests)[number]) => `${r.request.method} /${r.request.url.path.join('/')}`;
    expect(requests.map(routeOf).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(collection.item.map((f) => f.name)).toContain('order');

    const login = requests.find((r) => routeOf(r) === 'POST /api/user/login')!;
    expect(Object.keys(JSON.parse(login.request.body!.raw)).sort()).toEqual(['mobile', 'password']);
    const ok = JSON.parse(login.response.find((r) => r.code === 200)!.body);
    expect(Object.keys(ok).sort()).toEqual(['accessExpire', 'accessToken']);
    expect(collection.auth).toMatchObject({ type: 'bearer' });
    expect(collection.variable).toContainEqual(expect.objectContaining({ key: 'baseUrl' }));
  });
});
