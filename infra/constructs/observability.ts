import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { METRICS_NAMESPACE, ServiceFunction } from './service-function';

/** The business metrics the functions emit (Powertools, embedded metric format), by service. */
export const BUSINESS_METRICS = [
  { name: 'OrderCreated', service: 'order' },
  { name: 'CompensationRun', service: null },
  { name: 'PaymentSucceeded', service: 'pay' },
  { name: 'PaymentRefundNeeded', service: 'pay' },
  { name: 'StockConflict', service: 'product' },
  { name: 'LoginFailed', service: 'user' },
] as const;

/**
 * What replaces go-zero-mall's Prometheus, Grafana and Jaeger on AWS: a CloudWatch dashboard
 * (the seed's four panels and more), alarms to an SNS topic, and saved Logs Insights queries.
 * X-Ray tracing itself is switched on where each resource is made.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, { api, stateMachine, config }: { api: MallApi; stateMachine: sfn.StateMachine; config: StageConfig }) {
    super(scope, id);
    const stack = Stack.of(this);
    const everything = stack.node.findAll();
    const functions = everything.filter((c): c is ServiceFunction => c instanceof ServiceFunction);
    const tables = everything.filter((c): c is dynamodb.Table => c instanceof dynamodb.Table);
    const queues = everything.filter((c): c is sqs.Queue => c instanceof sqs.Queue);
    const period = Duration.minutes(1);
    const apiDims = { ApiName: api.restApi.restApiName, Stage: config.stage };
    const apiMetric = (metricName: string, statistic: string, extra: Record<string, string> = {}, label?: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, statistic, period, dimensionsMap: { ...apiDims, ...extra }, ...(label ? { label } : {}) });
    const perRoute = (metricName: string, statistic: string) =>
      api.routes.map((r) => apiMetric(metricName, statistic, { Method: r.method, Resource: r.path }, `${r.method} ${r.path}`));
    const chunks = <T>(items: T[], size = 20) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
    const graphs = (title: string, metrics: cloudwatch.IMetric[]) =>
      chunks(metrics).map((part, i, all) => new cloudwatch.GraphWidget({ title: all.length > 1 ? `${title} (${i + 1}/${all.length})` : title, left: part, width: 12 }));
    const functionName = (f: ServiceFunction) => f.node.path.split('/').slice(1, 3).join('/');
    const throttles = (table: dynamodb.Table) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{AWS/DynamoDB,TableName,Operation} MetricName="ThrottledRequests" TableName="${table.tableName}"', 'Sum', 60)`,
        label: table.node.path.split('/')[1],
        period,
      });
    const business = BUSINESS_METRICS.map(
      (m) =>
        new cloudwatch.MathExpression({
          expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service${m.name === 'CompensationRun' ? ',step' : ''}} MetricName="${m.name}"', 'Sum', 60))`,
          label: m.name,
          period,
        }),
    );
    const cancelledByReason = new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},reason,service} MetricName="OrderCancelled"', 'Sum', 60)`,
      label: 'OrderCancelled by reason',
      period,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `serverless-mall-${config.stage}` });
    this.dashboard.addWidgets(
      // The seed's four Grafana panels...
      ...graphs('API requests per minute by route', perRoute('Count', 'Sum')),
      new cloudwatch.GraphWidget({
        title: 'API status codes',
        left: [apiMetric('Count', 'Sum', {}, 'requests'), apiMetric('4XXError', 'Sum', {}, '4xx'), apiMetric('5XXError', 'Sum', {}, '5xx')],
        width: 12,
      }),
      ...graphs('Invocations per function ("rpc QPS")', functions.map((f) => f.metricInvocations({ period, label: functionName(f) }))),
      ...graphs('Errors per function', functions.map((f) => f.metricErrors({ period, label: functionName(f) }))),
      // ...and what the serverless mall needs besides.
      ...graphs('p50 latency by route (ms)', perRoute('Latency', 'p50')),
      ...graphs('p99 latency by route (ms)', perRoute('Latency', 'p99')),
      new cloudwatch.GraphWidget({
        title: 'Order saga executions by outcome',
        left: [
          stateMachine.metricSucceeded({ period, label: 'succeeded' }),
          stateMachine.metricFailed({ period, label: 'failed' }),
          stateMachine.metricTimedOut({ period, label: 'timed out' }),
          stateMachine.metricAborted({ period, label: 'aborted' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Business: orders, compensations, payments, stock conflicts', left: business, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Orders cancelled by reason', left: [cancelledByReason], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB throttled requests', left: tables.map(throttles), width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        left: queues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period, label: q.node.path.split('/').slice(1, 3).join('/') })),
        width: 12,
      }),
    );

    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: `serverless-mall ${config.stage} alarms`,
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    const alarm = (name: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>) => {
      const a = new cloudwatch.Alarm(this, name, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      a.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      return a;
    };
    alarm('Api5xxRate', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { errors: apiMetric('5XXError', 'Sum'), requests: apiMetric('Count', 'Sum') },
        period: Duration.minutes(5),
        label: '5xx %',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      alarmDescription: 'More than 1% of API requests answered 5xx',
    });
    alarm('ApiP99Latency', {
      metric: apiMetric('Latency', 'p99', {}, 'p99 latency'),
      threshold: 3000,
      evaluationPeriods: 5,
      alarmDescription: 'API p99 latency above 3 s for 5 minutes',
    });
    alarm('SagaFailures', {
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: { failed: stateMachine.metricFailed(), timedOut: stateMachine.metricTimedOut(), aborted: stateMachine.metricAborted() },
        period: Duration.minutes(5),
        label: 'saga executions ended abnormally',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'An order saga failed, timed out or was aborted (the sweeper repairs the order; find out why)',
    });
    for (const queue of queues) {
      alarm(`${queue.node.id}NotEmpty`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: `Events a consumer could not take are waiting in ${queue.node.path}`,
      });
    }
    for (const table of tables) {
      alarm(`${table.node.scope!.node.id}Throttling`, {
        metric: throttles(table),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: `DynamoDB throttled requests on ${table.node.path}`,
      });
    }

    const logGroups = functions.map((f) => f.logGroup);
    new logs.QueryDefinition(this, 'ColdStarts', {
      queryDefinitionName: `serverless-mall-${config.stage}/cold-starts`,
      logGroups,
      queryString: new logs.QueryString({
        filterStatements: ['cold_start = 1'],
        statsStatements: ['count(*) as coldStarts by function_name, bin(15m)'],
      }),
    });
    new logs.QueryDefinition(this, 'SlowRequests', {
      queryDefinitionName: `serverless-mall-${config.stage}/slow-requests`,
      logGroups,
      queryString: new logs.QueryString({
        fields: ['@timestamp', '@log', '@duration', '@initDuration'],
        filterStatements: ['@type = "REPORT" and @duration > 1000'],
        sort: '@duration desc',
        limit: 50,
      }),
    });
    Validations.of(this.alarmTopic).acknowledge({ id: 'AwsSolutions-SNS2', reason: 'Encrypted with the AWS-managed SNS key (alias/aws/sns).' });
  }
}
