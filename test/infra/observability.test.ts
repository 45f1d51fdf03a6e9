import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { StageConfigError, stageConfig } from '../../infra/config';
import { PROD_ALARM_EMAIL, synthStage } from './synth';

const template = synthStage('prod').merged;
const resources = Object.values<any>(template.Resources);
const ofType = (type: string) => resources.filter((r) => r.Type === type);
const flat = (value: unknown) => JSON.stringify(value);

/** Every metric name the functions emit: addMetric('<name>', ...) in their source. */
function emittedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) for (const m of fs.readFileSync(file, 'utf8').matchAll(/addMetric\('(\w+)'/g)) names.add(m[1]!);
    }
  };
  walk('functions');
  walk('shared');
  return names;
}

describe('tracing', () => {
  it('is on for the API stage, every function and the state machine', () => {
    expect(ofType('AWS::ApiGateway::Stage').every((s) => s.Properties.TracingEnabled === true)).toBe(true);
    expect(ofType('AWS::Lambda::Function').every((f) => f.Properties.TracingConfig?.Mode === 'Active')).toBe(true);
    expect(ofType('AWS::StepFunctions::StateMachine').every((m) => m.Properties.TracingConfiguration?.Enabled === true)).toBe(true);
  });
});

describe('the dashboard', () => {
  const [dashboard] = ofType('AWS::CloudWatch::Dashboard');
  const body = flat(dashboard?.Properties.DashboardBody);

  it("has the seed's four Grafana panels and the serverless ones", () => {
    for (const title of [
      'API requests per minute by route',
      'API status codes',
      'Invocations per function',
      'Errors per function',
      'p50 latency by route',
      'p99 latency by route',
      'Order saga executions by outcome',
      'DynamoDB throttled requests',
      'Dead-letter queue depth',
      'Orders cancelled by reason',
    ]) {
      expect(body, title).toContain(title);
    }
  });

  it('graphs every route and every function', () => {
    for (const route of ['/api/order/create', '/api/pay/notify', '/api/user/login', '/api/home/recommend']) expect(body).toContain(route);
    expect((body.match(/\\"Invocations\\"/g) ?? []).length).toBe(ofType('AWS::Lambda::Function').length);
  });

  it('points at metric names the functions really emit', () => {
    const emitted = emittedMetricNames();
    const referenced = [...body.matchAll(/MetricName=[\\"]*(\w+)/g)].map((m) => m[1]!).filter((n) => !['ThrottledRequests'].includes(n));
    expect(referenced.length).toBeGreaterThanOrEqual(6);
    for (const name of referenced) expect(emitted, name).toContain(name);
    for (const name of ['OrderCreated', 'OrderCancelled', 'CompensationRun', 'PaymentSucceeded', 'StockConflict'])
      expect(referenced).toContain(name);
  });
});

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const [topic] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::SNS::Topic') ?? [];

  it('all notify the alarm topic', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    for (const alarm of alarms) expect(flat(alarm.Properties.AlarmActions)).toContain(topic);
  });

  it('cover 5xx rate, p99 latency, saga failures, every dead-letter queue and throttling on every table', () => {
    const descriptions = alarms.map((a) => String(a.Properties.AlarmDescription));
    expect(descriptions.some((d) => d.includes('5xx'))).toBe(true);
    expect(descriptions.some((d) => d.includes('p99'))).toBe(true);
    expect(descriptions.some((d) => d.includes('saga'))).toBe(true);
    expect(descriptions.filter((d) => d.includes('Events a consumer could not take'))).toHaveLength(ofType('AWS::SQS::Queue').length);
    expect(descriptions.filter((d) => d.includes('throttled'))).toHaveLength(ofType('AWS::DynamoDB::Table').length);
  });

  it('every event consumer has a dead-letter queue, and each of those an alarm', () => {
    const consumers = ofType('AWS::Events::Rule').filter((r) => r.Properties.EventPattern); // not the schedules
    const targets = consumers.flatMap((r) => r.Properties.Targets ?? []);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const target of targets) expect(target.DeadLetterConfig?.Arn, flat(target.Arn)).toBeDefined();
    const queues = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    const alarmed = flat(alarms.map((a) => a.Properties.Metrics ?? a.Properties.Dimensions));
    for (const [, queue] of queues) expect(alarmed, queue.Properties.QueueName).toContain(queue.Properties.QueueName);
  });

  it('go off when the sweeper parks an order whose repairs keep failing', () => {
    const parked = alarms.filter((a) => a.Properties.MetricName === 'OrderParked');
    expect(parked).toHaveLength(1);
    expect(parked[0].Properties).toMatchObject({
      Namespace: 'ServerlessMall',
      Dimensions: [{ Name: 'service', Value: 'order' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(emittedMetricNames()).toContain('OrderParked');
  });

  it('watch every saga compensation that keeps failing: an error in each 5 minutes for the configured 15', () => {
    const failing = alarms.filter((a) => String(a.Properties.AlarmDescription).includes('saga compensation'));
    const stats = failing.map((a) => a.Properties.Metrics[0].MetricStat);
    expect(stats.map((m) => m.Metric.Dimensions[0].Value).sort()).toEqual(
      ['order-cancel-order', 'pay-close-payment', 'product-release-stock', 'coupon-restore-coupon']
        .map((name) => `serverless-mall-prod-${name}`)
        .sort(),
    );
    expect(stats.every((m) => m.Metric.MetricName === 'Errors' && m.Period === 300)).toBe(true);
    for (const alarm of failing) expect(alarm.Properties).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 0 });
  });
});

describe('logs', () => {
  it("keeps function logs for the stage's retention, with sampled debug logging", () => {
    expect(ofType('AWS::Logs::LogGroup').every((g) => g.Properties.RetentionInDays === 365)).toBe(true);
    for (const f of ofType('AWS::Lambda::Function')) {
      expect(f.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_LOGGER_SAMPLE_RATE: '0.01' });
    }
  });

  it('has saved Logs Insights queries for cold starts and slow requests', () => {
    const names = ofType('AWS::Logs::QueryDefinition').map((q) => q.Properties.Name);
    expect(names).toEqual(expect.arrayContaining(['serverless-mall-prod/cold-starts', 'serverless-mall-prod/slow-requests']));
  });
});

describe('alarm delivery', () => {
  const [[keyId, key] = []] = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::KMS::Key');
  const [topic] = ofType('AWS::SNS::Topic');

  it('encrypts the topic with its own key, which CloudWatch may use (it cannot use alias/aws/sns)', () => {
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const cloudwatch = key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch?.Effect).toBe('Allow');
    expect([cloudwatch.Action].flat()).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('emails the addresses the stage configuration lists', () => {
    expect(ofType('AWS::SNS::Subscription').map((s) => s.Properties.Endpoint)).toEqual([PROD_ALARM_EMAIL]);
    const withEmails = synthStage('prod', { MALL_ALARM_EMAILS: 'ops@example.com, oncall@example.com' }).merged;
    const subscriptions = Object.values<any>(withEmails.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => [s.Properties.Protocol, s.Properties.Endpoint]).sort()).toEqual([
      ['email', 'oncall@example.com'],
      ['email', 'ops@example.com'],
    ]);
    expect(() => synthStage('prod', { MALL_ALARM_EMAILS: 'not-an-address' })).toThrow(/not an email address/);
  });

  it('refuses to synthesize prod without an alarm email, before building anything', () => {
    for (const env of [{}, { MALL_ALARM_EMAILS: ' , ' }]) {
      expect(() => buildApp(stageConfig('prod', env), { skipBundling: true, cfnValidation: false })).toThrow(
        new StageConfigError('stage "prod" has no alarm subscribers: set MALL_ALARM_EMAILS (comma-separated email addresses)'),
      );
    }
  });

  it('warns on a dev stage without an alarm email, and synthesizes it', () => {
    const { stacks } = synthStage('dev');
    const warnings = stacks.flatMap((s) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('MALL_ALARM_EMAILS')));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringMatching(/^stage "dev" has no alarm subscribers: set MALL_ALARM_EMAILS .*; alarms reach nobody/),
    ]);
  });
});
