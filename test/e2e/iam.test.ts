import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRoleByMobile } from '../../infra/admin/admin-role';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud';
import type { SynthesizedTemplate } from '../../infra/local/template';
import { asAdmin, bearer, post, registerAndLogin } from './client';
import { awsEndpoint } from './local-cloud';

/**
 * The local cloud enforces IAM as the templates write it. The suite as a whole shows that the
 * grants suffice (every call of every test passes IAM); this file shows that a missing grant
 * fails, locally, as it would on AWS: it starts a second local cloud on the same app with three
 * grants removed from the synthesized templates.
 */
const roleIdOf = (template: SynthesizedTemplate, constructPath: string) => {
  const fn = template.functions().find((f) => f.name.endsWith(constructPath));
  if (!fn) throw new Error(`no function ${constructPath}`);
  return template.resources[fn.logicalId]!.Properties!.Role['Fn::GetAtt'][0] as string;
};

/** Drops the statements of the function's role that grant `action`. */
function revoke(template: SynthesizedTemplate, constructPath: string, action: string): void {
  const roleId = roleIdOf(template, constructPath);
  let removed = 0;
  for (const [, policy] of template.ofType('AWS::IAM::Policy')) {
    if (!policy.Properties!.Roles.some((r: { Ref?: string }) => r.Ref === roleId)) continue;
    const document = policy.Properties!.PolicyDocument;
    const before = document.Statement.length;
    document.Statement = document.Statement.filter((s: { Action: string | string[] }) => ![s.Action].flat().includes(action));
    removed += before - document.Statement.length;
  }
  if (!removed) throw new Error(`${constructPath} had no grant of ${action}`);
}

/** Drops the permission that lets API Gateway invoke the route's function. */
function dropRoutePermission(template: SynthesizedTemplate, constructPath: string): void {
  const fn = template.functions().find((f) => f.name.endsWith(constructPath))!;
  const permissions = template
    .ofType('AWS::Lambda::Permission')
    .filter(([, p]) => JSON.stringify(p.Properties!.FunctionName).includes(fn.logicalId));
  if (!permissions.length) throw new Error(`${constructPath} has no permission`);
  for (const [id] of permissions) delete template.resources[id];
}

describe.skipIf(!awsEndpoint)('IAM in the local cloud', () => {
  let variant: LocalCloud;
  const call = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(variant.apiUrl + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as any,
    }));
  /** The function log holds a line matching `pattern` (it is written asynchronously: wait up to 5 s). */
  const expectLogged = async (pattern: RegExp) => {
    const log = () => fs.readFileSync(variant.functionLogFile, 'utf8');
    for (let i = 0; i < 50 && !pattern.test(log()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(log()).toMatch(pattern);
  };

  beforeAll(async () => {
    variant = await startLocalCloud({
      port: 0,
      env: { ...process.env, MALL_ADMIN_MOBILES: '19900000000' },
      alterTemplate: (template) => {
        revoke(template, '/Users/Userinfo', 'dynamodb:GetItem');
        revoke(template, '/Carts/Add', 'lambda:InvokeFunction');
        dropRoutePermission(template, '/Products/Banners');
      },
    });
  }, 300_000);

  afterAll(async () => {
    await variant?.stop();
  }, 60_000);

  it('refuses a function the table access its role lost: the route answers 5xx and the log names the action', async () => {
    const user = await registerAndLogin('Unaltered');
    expect((await post('/api/user/userinfo', {}, bearer(user.token))).status).toBe(200);

    const mobile = '13912345678';
    expect((await call('/api/user/register', { name: 'Iam', gender: 1, mobile, password: 'correct horse battery' })).status).toBe(200);
    const token = (await call('/api/user/login', { mobile, password: 'correct horse battery' })).body.accessToken;
    const info = await call('/api/user/userinfo', {}, { authorization: `Bearer ${token}` });
    expect(info).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
    await expectLogged(
      /AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/\w+\/serverless-mall-local-user-userinfo is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/UsersTable\w+ because no identity-based policy allows the dynamodb:GetItem action/,
    );
  });

  it('refuses a function the invoke of another service its role lost', async () => {
    const adminLogin = await call('/api/user/register', {
      name: 'Admin',
      gender: 0,
      mobile: '19900000000',
      password: 'admin-password-1',
    })
      .then(() => setRoleByMobile('19900000000', 'admin', { endpoint: variant.dynamoEndpoint }))
      .then(() => call('/api/user/login', { mobile: '19900000000', password: 'admin-password-1' }));
    const admin = { authorization: `Bearer ${adminLogin.body.accessToken}` };
    const product = await call('/api/product/create', { name: 'Denied', stock: 5, amount: 100, status: 1, category: 'iam' }, admin);
    expect(product.status).toBe(200);
    expect(await call('/api/cart/add', { product_id: product.body.id, count: 1 }, admin)).toEqual({
      status: 500,
      body: { code: 'INTERNAL', message: 'internal error' },
    });
    await expectLogged(
      /not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:serverless-mall-local-product-batch-get/,
    );
    // The unaltered cloud lets the same call through.
    const allowed = (
      await post('/api/product/create', { name: 'Allowed', stock: 5, amount: 100, status: 1, category: 'iam' }, await asAdmin())
    ).body.id;
    expect((await post('/api/cart/add', { product_id: allowed, count: 1 }, await asAdmin())).status).toBe(200);
  });

  it('refuses API Gateway a function whose permission is gone', async () => {
    const token = (await call('/api/user/login', { mobile: '19900000000', password: 'admin-password-1' })).body.accessToken;
    const banners = await fetch(`${variant.apiUrl}/api/home/banners`, { headers: { authorization: `Bearer ${token}` } });
    expect({ status: banners.status, body: await banners.json() }).toEqual({
      status: 500,
      body: { code: 'INTERNAL', message: 'internal error' },
    });
    await expectLogged(
      /apigateway\.amazonaws\.com \(source arn:aws:execute-api:us-east-1:000000000000:\w+\/local\/GET\/api\/home\/banners\) is not allowed to invoke arn:aws:lambda:us-east-1:000000000000:function:serverless-mall-local-product-banners/,
    );
  });
});
