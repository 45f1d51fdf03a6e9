import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { built, constructOf, ofType, refs, resources, roleOfFunction, routePath, serviceOf, synthProd, template } from './stack-helpers';

// The prod stage's templates: the API's guard, least privilege, secrets and cdk-nag.

// The payment provider's notification is public too: it cannot hold a user's token, so its
// body is HMAC-signed instead (functions/pay/notify.ts). The storefront's reads are public so
// that a shop can be browsed before logging in (issue 11); its writes are not.
const PUBLIC_ROUTES = [
  'POST /api/user/register',
  'POST /api/user/login',
  'POST /api/pay/notify',
  'GET /api/home/banners',
  'GET /api/home/flashsale',
  'GET /api/home/recommend',
  'GET /api/category/list',
  'POST /api/product/detail',
  'GET /api/product/comment/list',
  'GET /api/category/tree',
  'GET /api/product/search',
];

beforeAll(synthProd);

describe('the API', () => {
  it('puts every route except register, login, the notification and the storefront reads behind the JWT authorizer', () => {
    const methods = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    const open: string[] = [];
    expect(methods.length).toBeGreaterThanOrEqual(4);
    for (const [, m] of methods) {
      const route = `${m.Properties.HttpMethod} ${routePath(m.Properties.ResourceId.Ref)}`;
      if (PUBLIC_ROUTES.includes(route)) {
        expect(m.Properties.AuthorizationType, route).toBe('NONE');
        open.push(route);
      } else {
        expect(m.Properties.AuthorizationType, route).toBe('CUSTOM');
        expect(m.Properties.AuthorizerId, route).toBeDefined();
      }
    }
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('uses a cached TOKEN authorizer on the Authorization header', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it('has X-Ray tracing and access logs on the stage, and no request-body logging', () => {
    const [[, stage] = []] = ofType('AWS::ApiGateway::Stage');
    expect(stage.Properties.TracingEnabled).toBe(true);
    expect(stage.Properties.AccessLogSetting.DestinationArn).toBeDefined();
    // One setting for the whole stage, and one per anonymous storefront read (its throttle).
    expect(stage.Properties.MethodSettings).toHaveLength(1 + 8);
    for (const setting of stage.Properties.MethodSettings) expect(setting.DataTraceEnabled).toBe(false);
  });

  it("answers errors with the functions' own {code, message} shape", () => {
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      const [[, response] = []] = ofType('AWS::ApiGateway::GatewayResponse').filter(([, r]) => r.Properties.ResponseType === type);
      expect(response, type).toBeDefined();
      expect(response.Properties.ResponseTemplates['application/json'], type).toMatch(/"code":"[A-Z_]+","message":/);
    }
  });
});

describe('least privilege', () => {
  it("lets each function touch only its own service's table", () => {
    const functionsByRole = roleOfFunction();
    const tables = new Set(ofType('AWS::DynamoDB::Table').map(([id]) => id));
    let checked = 0;
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const roleRef of policy.Properties.Roles) {
        const fn = functionsByRole.get(roleRef.Ref);
        if (!fn) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const actions = [statement.Action].flat();
          if (!actions.some((a: string) => a.startsWith('dynamodb:'))) continue;
          expect(
            actions.every((a: string) => !a.includes('*')),
            `${fn}: ${actions}`,
          ).toBe(true);
          for (const table of refs(statement.Resource).filter((id) => tables.has(id))) {
            expect(serviceOf(table), `${fn} may touch ${table}`).toBe(serviceOf(fn));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('lets only login, password change (it signs the new token) and the authorizer read the signing secret', () => {
    const functionsByRole = roleOfFunction();
    const [[secretId] = []] = ofType('AWS::SecretsManager::Secret').filter(([id]) => id.startsWith('JwtSigningSecret'));
    const readers = new Set<string>();
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if (!refs(statement.Resource).includes(secretId!)) continue;
        for (const role of policy.Properties.Roles) {
          const fn = functionsByRole.get(role.Ref);
          readers.add(fn ? constructOf(fn) : role.Ref);
        }
      }
    }
    expect([...readers].sort()).toEqual(['Users/Authorizer', 'Users/Login', 'Users/PasswordChange']);
  });

  it("lets logout, the admin role changes and the profile and password changes flush only their own stage's authorizer cache", () => {
    const functionsByRole = roleOfFunction();
    const flushers = ofType('AWS::IAM::Policy').flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('apigateway:'))).map(
        (s: any) => {
          expect(s.Action).toBe('apigateway:DELETE');
          expect(JSON.stringify(s.Resource)).toMatch(/\/stages\/prod\/cache\/authorizers/);
          return p.Properties.Roles.map((role: any) => constructOf(functionsByRole.get(role.Ref)!));
        },
      ),
    );
    expect(flushers.flat().sort()).toEqual([
      'Users/GrantAdmin',
      'Users/Logout',
      'Users/PasswordChange',
      'Users/ProfileUpdate',
      'Users/RevokeAdmin',
    ]);
  });

  it('lets each service invoke only the functions it asks, and the saga only its participants', () => {
    const functionsByRole = roleOfFunction();
    const invokes = new Map<string, Set<string>>();
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if (![statement.Action].flat().some((a: string) => a.startsWith('lambda:'))) continue;
        expect(statement.Action).toBe('lambda:InvokeFunction');
        for (const role of policy.Properties.Roles) {
          const fn = functionsByRole.get(role.Ref);
          const invoker = fn ? constructOf(fn) : String(resources[role.Ref]?.Metadata?.['aws:cdk:path']).split('/').slice(1, 3).join('/');
          const targets = invokes.get(invoker) ?? new Set<string>();
          for (const target of refs(statement.Resource)) targets.add(constructOf(target));
          invokes.set(invoker, targets);
        }
      }
    }
    const sorted = Object.fromEntries([...invokes].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(sorted).toEqual({
      'Carts/Add': ['Products/BatchGet'],
      'Carts/List': ['Products/BatchGet'],
      'Orders/Cancel': ['Payments/CloseForOrder'],
      'Orders/Create': ['Coupons/Quote', 'Products/BatchGet', 'Users/Address'],
      'Orders/Saga': [
        'Carts/RemoveFromCart',
        'Coupons/RestoreCoupon',
        'Coupons/UseCoupon',
        'Orders/CancelOrder',
        'Orders/MarkAwaitingPayment',
        'Orders/OpenOrder',
        'Payments/ClosePayment',
        'Payments/CreatePayment',
        'Products/ReleaseStock',
        'Products/ReserveStock',
      ],
      'Orders/RefundApprove': ['Payments/RefundForOrder'],
      'Orders/Sweep': ['Payments/CloseForOrder', 'Payments/RefundForOrder'],
      'Payments/Create': ['Orders/Get'],
    });
  });

  it('lets list functions query only the indexes they read', () => {
    const indexes = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .flatMap((s) => [s.Resource].flat())
      .map((r) => JSON.stringify(r))
      .filter((r) => r.includes('/index/'));
    expect(indexes.length).toBeGreaterThan(0);
    for (const resource of indexes) expect(resource).toMatch(/\/index\/By[A-Za-z]+"/);
  });

  it('gives functions no AWS-managed policies and no log access beyond their own log group', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      if (!functionRole(id)) continue;
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  function functionRole(roleId: string): boolean {
    return roleOfFunction().has(roleId);
  }
});

describe('secrets', () => {
  it('has the token signing key and the payment provider key generated by Secrets Manager at deploy time', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['JwtSigningSecret', 'PaymentsCallbackSecret']);
    for (const [, secret] of secrets) {
      expect(secret.Properties.GenerateSecretString).toBeDefined();
      expect(secret.Properties.SecretString).toBeUndefined();
    }
  });

  it('lets only the signed notification read the payment provider key', () => {
    const functionsByRole = roleOfFunction();
    const [[secretId] = []] = ofType('AWS::SecretsManager::Secret').filter(([id]) => id.startsWith('PaymentsCallbackSecret'));
    const readers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.PolicyDocument.Statement.some((s: any) => refs(s.Resource).includes(secretId!)))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => constructOf(functionsByRole.get(r.Ref)!)));
    expect(readers).toEqual(['Payments/Notify']);
  });

  it('contains no secret literal anywhere in the template', () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    // Every property and output; metadata holds only construct paths.
    walk(Object.values(resources).map((r) => r.Properties));
    walk(template.toJSON().Outputs);
    const suspicious = strings.filter(
      (s) =>
        /^[A-Za-z0-9+/=_-]{24,}$/.test(s) && // token-like
        !(s in resources) && // a reference to a logical id
        !/[0-9A-F]{8}$/.test(s) && // a name CDK derived from a construct path
        !/^[0-9a-f]{64}(\.zip)?$/.test(s) && // asset hashes
        /[0-9]/.test(s) &&
        /[a-z]/.test(s) &&
        /[A-Z]/.test(s), // mixed, like generated keys
    );
    expect(suspicious).toEqual([]);
    for (const [id, f] of ofType('AWS::Lambda::Function')) {
      for (const [name, value] of Object.entries<any>(f.Properties.Environment?.Variables ?? {})) {
        if (/SECRET|PASSWORD|PRIVATE|KEY/.test(name)) {
          expect(typeof value, `${id} ${name} must be a reference, not a value`).toBe('object');
        }
      }
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged', () => {
    const report = new AwsSolutionsChecks(built.app).validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual([]);
  });

  it('has a reason for every acknowledged rule', () => {
    const acknowledged: Array<[string, string]> = [];
    const walk = (node: IConstruct): void => {
      for (const entry of node.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          for (const [id, reason] of Object.entries<string>(entry.data)) acknowledged.push([id, reason]);
        }
      }
      node.node.children.forEach(walk);
    };
    walk(built.app);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(30);
  });
});
