import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import type { MallEvents } from './mall-events';
import { OrderSaga, sagaNameOf } from './order-saga';
import { watchRefunds } from './refund-watch';
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
 *
 * It watches every stack of the app, so it names functions, queues and the saga by their
 * literal names (known before deploy), never through cross-stack exports that would pin them.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, { api, events, config }: { api: MallApi; events: MallEvents; config: StageConfig }) {
    super(scope, id);
    const everything = this.node.root.node.findAll();
    const functions = everything.filter((c): c is ServiceFunction => c instanceof ServiceFunction);
    const tables = everything.filter((c): c is dynamodb.Table => c instanceof dynamodb.Table);
    const queues = events.deadLetterQueues;
    const period = Duration.minutes(1);
    const lambdaMetric = (f: ServiceFunction, metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        statistic: 'Sum',
        period,
        dimensionsMap: { FunctionName: f.literalName },
        label: functionName(f),
      });
    const queueDepth = (queue: { name: string; id: string }, metricPeriod = period) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        period: metricPeriod,
        dimensionsMap: { QueueName: queue.name },
        label: queue.id,
      });
    const sagaArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: sagaNameOf(config),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const sagaMetric = (metricName: string, label: string, metricPeriod = period) =>
      new cloudwatch.Metric({
        namespace: 'AWS/States',
        metricName,
        statistic: 'Sum',
        period: metricPeriod,
        dimensionsMap: { StateMachineArn: sagaArn },
        label,
      });
    const apiDims = { ApiName: api.restApi.restApiName, Stage: config.stage };
    const apiMetric = (metricName: string, statistic: string, extra: Record<string, string> = {}, label?: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        statistic,
        period,
        dimensionsMap: { ...apiDims, ...extra },
        ...(label ? { label } : {}),
      });
    const perRoute = (metricName: string, statistic: string) =>
      api.routes.map((r) => apiMetric(metricName, statistic, { Method: r.method, Resource: r.path }, `${r.method} ${r.path}`));
    const chunks = <T>(items: T[], size = 20) =>
      Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
    const graphs = (title: string, metrics: cloudwatch.IMetric[]) =>
      chunks(metrics).map(
        (part, i, all) =>
          new cloudwatch.GraphWidget({ title: all.length > 1 ? `${title} (${i + 1}/${all.length})` : title, left: part, width: 12 }),
      );
    function functionName(f: ServiceFunction) {
      return f.node.path.split('/').slice(1, 3).join('/');
    }
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
      ...graphs(
        'Invocations per function ("rpc QPS")',
        functions.map((f) => lambdaMetric(f, 'Invocations')),
      ),
      ...graphs(
        'Errors per function',
        functions.map((f) => lambdaMetric(f, 'Errors')),
      ),
      // ...and what the serverless mall needs besides.
      ...graphs('p50 latency by route (ms)', perRoute('Latency', 'p50')),
      ...graphs('p99 latency by route (ms)', perRoute('Latency', 'p99')),
      new cloudwatch.GraphWidget({
        title: 'Order saga executions by outcome',
        left: [
          sagaMetric('ExecutionsSucceeded', 'succeeded'),
          sagaMetric('ExecutionsFailed', 'failed'),
          sagaMetric('ExecutionsTimedOut', 'timed out'),
          sagaMetric('ExecutionsAborted', 'aborted'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Business: orders, compensations, payments, stock conflicts', left: business, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Orders cancelled by reason', left: [cancelledByReason], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB throttled requests', left: tables.map(throttles), width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        left: queues.map((q) => queueDepth(q)),
        width: 12,
      }),
    );

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed key (alias/aws/sns),
    // whose policy cannot be changed: the topic gets its own key, which CloudWatch may use.
    const key = new kms.Key(this, 'AlarmKey', {
      description: `Encrypts the serverless-mall ${config.stage} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    // Only AWS services, for AWS resources, may be granted use of the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      displayName: `serverless-mall ${config.stage} alarms`,
      enforceSSL: true,
      masterKey: key,
    });
    for (const email of config.alarmEmails) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
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
        usingMetrics: {
          failed: sagaMetric('ExecutionsFailed', 'failed', Duration.minutes(5)),
          timedOut: sagaMetric('ExecutionsTimedOut', 'timed out', Duration.minutes(5)),
          aborted: sagaMetric('ExecutionsAborted', 'aborted', Duration.minutes(5)),
        },
        period: Duration.minutes(5),
        label: 'saga executions ended abnormally',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'An order saga failed, timed out or was aborted (the sweeper repairs the order; find out why)',
    });
    // A compensation is retried until it succeeds (DTM's rule), at most 5 minutes apart: a
    // failure in every 5 minutes for the configured time means it is not getting through.
    const compensations = everything.filter((c): c is OrderSaga => c instanceof OrderSaga).flatMap((saga) => saga.compensations);
    const failingPeriods = config.compensationAlarmMinutes / 5;
    for (const f of compensations) {
      alarm(`${f.node.id}Failing`, {
        metric: lambdaMetric(f, 'Errors').with({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: failingPeriods,
        datapointsToAlarm: failingPeriods,
        alarmDescription: `The saga compensation ${functionName(f)} has failed for ${config.compensationAlarmMinutes} minutes (it keeps being retried): look at the running saga executions and the function's errors`,
      });
    }
    for (const queue of queues) {
      alarm(`${queue.id}DeadLettersNotEmpty`, {
        metric: queueDepth(queue, Duration.minutes(5)),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: `Events a consumer could not take are waiting in ${queue.name} (consumer ${queue.consumer})`,
      });
    }
    // Each parked order waits for an operator: the sweeper stopped repairing it after its bound.
    alarm('OrdersParked', {
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'OrderParked',
        dimensionsMap: { service: 'order' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription:
        'The sweeper parked an order whose repair runs kept failing: GET /api/order/stuck lists it (parked_at); fix the cause, then make it due again',
    });
    for (const table of tables) {
      alarm(`${table.node.scope!.node.id}Throttling`, {
        metric: throttles(table),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: `DynamoDB throttled requests on ${table.node.path}`,
      });
    }
    watchRefunds(this.dashboard, alarm, config);

    const logGroups = functions.map((f) => logs.LogGroup.fromLogGroupName(this, `${f.literalName}Logs`, `/aws/lambda/${f.literalName}`));
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
  }
}
