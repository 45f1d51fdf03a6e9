import { type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_RESOURCE_BUDGET } from '../../infra/app';
import { stageConfig } from '../../infra/config';
import { ROUTES } from '../../infra/routes';
import { synthStage } from './synth';

// The payment provider's notification is public too: it cannot hold a user's token, so its
// body is HMAC-signed instead (functions/pay/notify.ts).
const PUBLIC_ROUTES = ['POST /api/user/register', 'POST /api/user/login', 'POST /api/pay/notify'];

let built: ReturnType<typeof synthStage>;
let template: Template;
let resources: Record<string, any>;

beforeAll(() => {
  built = synthStage('prod', { MALL_ADMIN_MOBILES: '13800000000' });
  template = Template.fromJSON(built.merged);
  resources = template.toJSON().Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The logical ids a value refers to: by Ref or GetAtt, or a function of another stack by its literal name. */
const refs = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  const named = [...text.matchAll(/:function:([\w-]+)/g)].map(
    (m) => ofType('AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === m[1])?.[0],
  );
  const referenced = [...text.matchAll(/"(?:Ref|Fn::GetAtt)":(?:\["|")([A-Za-z0-9]+)/g)].map((m) => m[1]!);
  return [...referenced, ...named].filter((id): id is string => !!id && id in resources);
};

/** "ServerlessMall-prod/Users/Login/Resource" -> "Users" */
function serviceOf(logicalId: string): string {
  const constructPath = resources[logicalId]?.Metadata?.['aws:cdk:path'];
  if (typeof constructPath !== 'string') throw new Error(`${logicalId} has no construct path`);
  return constructPath.split('/')[1]!;
}

/** "ServerlessMall-prod/Users/Login/Resource" -> "Users/Login" */
function constructOf(logicalId: string): string {
  return `${serviceOf(logicalId)}/${String(resources[logicalId].Metadata['aws:cdk:path']).split('/')[2]}`;
}

/** role logical id -> the function that uses it */
const roleOfFunction = () => new Map(ofType('AWS::Lambda::Function').map(([id, f]) => [f.Properties.Role['Fn::GetAtt'][0] as string, id]));

function routePath(resourceId: string): string {
  const parts: string[] = [];
  let id: string | undefined = resourceId;
  while (id && resources[id]?.Type === 'AWS::ApiGateway::Resource') {
    parts.unshift(resources[id].Properties.PathPart);
    id = resources[id].Properties.ParentId?.Ref;
  }
  return '/' + parts.join('/');
}

describe('the API', () => {
  it('puts every route except register and login behind the JWT authorizer', () => {
    const methods = ofType('AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThanOrEqual(4);
    for (const [, m] of methods) {
      const route = `${m.Properties.HttpMethod} ${routePath(m.Properties.ResourceId.Ref)}`;
      if (PUBLIC_ROUTES.includes(route)) {
        expect(m.Properties.AuthorizationType, route).toBe('NONE');
      } else {
        expect(m.Properties.AuthorizationType, route).toBe('CUSTOM');
        expect(m.Properties.AuthorizerId, route).toBeDefined();
      }
    }
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
    expect(stage.Properties.MethodSettings).toEqual([expect.objectContaining({ DataTraceEnabled: false })]);
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

  it('lets only login and the authorizer read the signing secret', () => {
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
    expect([...readers].sort()).toEqual(['Users/Authorizer', 'Users/Login']);
  });

  it("lets logout flush only its own stage's authorizer cache", () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const flush = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('apigateway:')));
    expect(flush).toHaveLength(1);
    expect(flush[0].Action).toBe('apigateway:DELETE');
    expect(JSON.stringify(flush[0].Resource)).toMatch(/\/stages\/prod\/cache\/authorizers/);
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
      'Orders/Create': ['Coupons/Quote', 'Products/BatchGet'],
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
      'Orders/Sweep': ['Payments/CloseForOrder'],
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

describe('functions', () => {
  it('run Node.js 22 on arm64 with active tracing and their own log group', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const [id, f] of functions) {
      expect(f.Properties.Runtime, id).toBe('nodejs22.x');
      expect(f.Properties.Architectures, id).toEqual(['arm64']);
      expect(f.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(f.Properties.LoggingConfig?.LogGroup, id).toBeDefined();
    }
  });

  it('serving a route are told its access level from the one route table', () => {
    const byPath = new Map(ROUTES.map((r) => [`${r.method} ${r.path}`, r.access]));
    const methods = ofType('AWS::ApiGateway::Method');
    for (const [, m] of methods) {
      const route = `${m.Properties.HttpMethod} ${routePath(m.Properties.ResourceId.Ref)}`;
      const fn = refs(m.Properties.Integration.Uri).find((id) => resources[id].Type === 'AWS::Lambda::Function')!;
      expect(resources[fn].Properties.Environment.Variables.ROUTE_ACCESS, route).toBe(byPath.get(route));
    }
    expect(
      methods.filter(([, m]) => byPath.get(`${m.Properties.HttpMethod} ${routePath(m.Properties.ResourceId.Ref)}`) === 'admin'),
    ).toHaveLength(8);
  });

  it('take admin mobiles from stage configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ADMIN_MOBILES: '13800000000' } },
    });
  });
});

describe('events', () => {
  it('gives every event target a dead-letter queue and retries, and archives the bus', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern);
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const [id, rule] of rules) {
      for (const target of rule.Properties.Targets) {
        expect(target.DeadLetterConfig?.Arn, id).toBeDefined();
        expect(target.RetryPolicy?.MaximumRetryAttempts, id).toBeGreaterThan(0);
      }
    }
    expect(ofType('AWS::Events::Archive')).toHaveLength(1);
  });

  it('delivers PaymentSucceeded to the order service and to inventory', () => {
    const consumers = ofType('AWS::Events::Rule')
      .filter(([, r]) => JSON.stringify(r.Properties.EventPattern ?? {}).includes('PaymentSucceeded'))
      .flatMap(([, r]) => r.Properties.Targets.map((t: any) => constructOf(refs(t.Arn)[0]!)));
    expect(consumers.sort()).toEqual(['Orders/OnPaymentSucceeded', 'Products/OnPaymentSucceeded']);
  });

  it('lets only the payment callbacks publish to the bus', () => {
    const functionsByRole = roleOfFunction();
    const publishers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.PolicyDocument.Statement.some((s: any) => [s.Action].flat().includes('events:PutEvents')))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => constructOf(functionsByRole.get(r.Ref)!)));
    expect(publishers.sort()).toEqual(['Payments/Callback', 'Payments/Notify']);
  });

  it('keeps the user-token payment callback (sandbox) off in AWS stages', () => {
    const callback = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('PaymentsCallback'));
    expect(callback?.[1].Properties.Environment.Variables.PAY_SANDBOX).toBe('false');
    expect(stageConfig('local').paymentSandbox).toBe(true);
  });
});

describe('tables', () => {
  it('serves every storefront list from an index (no scans) and measures hot keys', () => {
    const [[, catalogue] = []] = ofType('AWS::DynamoDB::Table').filter(([id]) => serviceOf(id) === 'Products');
    expect(catalogue.Properties.GlobalSecondaryIndexes.map((i: any) => i.IndexName).sort()).toEqual([
      'ByNewest',
      'ByPrice',
      'ByRecommend',
      'BySales',
    ]);
    expect(catalogue.Properties.ContributorInsightsSpecification).toEqual({ Enabled: true });
    const actions = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .flatMap((st) => [st.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('keeps point-in-time recovery on every table', () => {
    for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });
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

describe('stacks', () => {
  const stackOf = (name: string) => built.templates.find((t) => t.stackName.endsWith(`-${name}`))!.template;
  const typesIn = (name: string) => new Set(Object.values<any>(stackOf(name).Resources).map((r) => r.Type));

  it(`each hold at most ${STACK_RESOURCE_BUDGET} resources, half of what CloudFormation allows`, () => {
    expect(built.templates.map((t) => t.stackName)).toEqual(
      ['Data', 'Users', 'Catalog', 'Orders', 'Ops'].map((p) => `ServerlessMall-prod-${p}`),
    );
    for (const { stackName, template: t } of built.templates) {
      expect(Object.keys(t.Resources).length, stackName).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
    }
  });

  it('keep every table, the bus and the secrets in the data stack, kept when a prod stack is deleted', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Events::EventBus', 'AWS::SecretsManager::Secret']) {
      for (const { stackName } of built.templates.filter((t) => !t.stackName.endsWith('-Data')))
        expect(typesIn(stackName.split('-').pop()!).has(type), `${type} in ${stackName}`).toBe(false);
      expect(typesIn('Data').has(type), type).toBe(true);
    }
    expect(typesIn('Data').has('AWS::Lambda::Function')).toBe(false);
    for (const [id, r] of Object.entries<any>(stackOf('Data').Resources)) expect(r.DeletionPolicy, id).toBe('Retain');
  });

  it('import only from the data stack and the API, never from each other', () => {
    for (const { stackName, template: t } of built.templates) {
      const imported = new Set([...JSON.stringify(t).matchAll(/"Fn::ImportValue":"([\w-]+):/g)].map((m) => m[1]));
      for (const source of imported)
        expect(['ServerlessMall-prod-Data', 'ServerlessMall-prod-Users'], `${stackName} imports from ${source}`).toContain(source);
    }
  });

  it('give each route exactly one Lambda permission, for its own method and stage (no test-invoke one)', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    const sources = permissions.map(([, p]) => JSON.stringify(p.Properties.SourceArn));
    expect(sources.some((s) => s.includes('test-invoke-stage'))).toBe(false);
    // One per route, and one for the authorizer.
    expect(permissions).toHaveLength(ofType('AWS::ApiGateway::Method').length + 1);
    for (const [id, p] of permissions) expect(p.Properties.SourceAccount, id).toBeDefined();
    expect(sources.filter((s) => s.includes('/prod/POST/api/order/create'))).toHaveLength(1);
  });

  it('deploy the API stage after every route, with a new deployment when the routes change', () => {
    const [[deploymentId, deployment] = []] = Object.entries<any>(stackOf('Ops').Resources).filter(
      ([, r]) => r.Type === 'AWS::ApiGateway::Deployment',
    );
    expect(deployment).toBeDefined();
    const deploymentIdOf = (built: ReturnType<typeof synthStage>) =>
      Object.entries<any>(built.templates.find((t) => t.stackName.endsWith('-Ops'))!.template.Resources).find(
        ([, r]) => r.Type === 'AWS::ApiGateway::Deployment',
      )![0];
    expect(deploymentIdOf(synthStage('prod', { MALL_ADMIN_MOBILES: '13800000000' }))).toBe(deploymentId);
    const moved = synthStage('prod', { MALL_ADMIN_MOBILES: '13800000000' }, ({ api }) =>
      api.routes.push({ ...api.routes[0]!, path: '/api/new' }),
    );
    expect(deploymentIdOf(moved)).not.toBe(deploymentId);
    const ops = built.app.node.findChild('ServerlessMall-prod-Ops') as Stack;
    expect(ops.dependencies.map((s) => s.stackName).sort()).toEqual([
      'ServerlessMall-prod-Catalog',
      'ServerlessMall-prod-Data',
      'ServerlessMall-prod-Orders',
      'ServerlessMall-prod-Users',
    ]);
  });
});
