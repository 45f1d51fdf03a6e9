import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_RESOURCE_BUDGET } from '../../infra/app';
import { stageConfig } from '../../infra/config';
import { ROUTES } from '../../infra/routes';
import { built, constructOf, ofType, refs, resources, roleOfFunction, routePath, serviceOf, synthProd, template } from './stack-helpers';
import { synthStage } from './synth';

// The prod stage's templates: functions, events, tables and how the stacks are cut.

beforeAll(synthProd);

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
    ).toHaveLength(20); // 11, category create/update/remove, order ship, admin/list, refund/approve and refund/reject (issue 12), pay refunds/flagged and refunds/requeue
  });

  it('grant no role by mobile (MALL_ADMIN_MOBILES is set, and ignored), and give login its backoff settings', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function'))
      expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty('ADMIN_MOBILES');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LOGIN_LOCK_AFTER_FAILURES: '5', LOGIN_BACKOFF_BASE_SECONDS: '30', LOGIN_BACKOFF_MAX_SECONDS: '900' } },
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

  it('delivers Refunded to the order service', () => {
    const consumers = ofType('AWS::Events::Rule')
      .filter(([, r]) => JSON.stringify(r.Properties.EventPattern ?? {}).includes('"Refunded"'))
      .flatMap(([, r]) => r.Properties.Targets.map((t: any) => constructOf(refs(t.Arn)[0]!)));
    expect(consumers).toEqual(['Orders/OnRefunded']);
  });

  it("lets only the payment callbacks, the payment outbox relay, ClosePayment and the order's refund (Refunded) publish to the bus", () => {
    const functionsByRole = roleOfFunction();
    const publishers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.PolicyDocument.Statement.some((s: any) => [s.Action].flat().includes('events:PutEvents')))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => constructOf(functionsByRole.get(r.Ref)!)));
    expect(publishers.sort()).toEqual([
      'Payments/Callback',
      'Payments/ClosePayment',
      'Payments/Notify',
      'Payments/RefundForOrder',
      'Payments/RelayEvents',
    ]);
  });

  it('keeps the user-token payment callback (sandbox) off in AWS stages', () => {
    const callback = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('PaymentsCallback'));
    expect(callback?.[1].Properties.Environment.Variables.PAY_SANDBOX).toBe('false');
    // On only by the explicit setting (test/infra/pay-sandbox.test.ts), never by the stage's name.
    expect(stageConfig('local', {}).paymentSandbox).toBe(false);
    expect(stageConfig('local', { MALL_PAY_SANDBOX: '1' }).paymentSandbox).toBe(true);
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
