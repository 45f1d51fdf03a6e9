import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

/**
 * The mall's own EventBridge bus for domain events, with an archive (events can be replayed)
 * and, for every consumer, retries and a dead-letter queue. The bus lives in the data stack;
 * each subscription (rule and dead-letter queue) lives with its consumer.
 */
export class MallEvents extends Construct {
  readonly bus: events.EventBus;
  /** Every subscription's dead-letter queue, by name, for the alarms. */
  readonly deadLetterQueues: Array<{ id: string; name: string; consumer: string }> = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly config: StageConfig,
  ) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus');
    const archive = this.bus.archive('Archive', {
      eventPattern: { account: [this.bus.env.account] },
      retention: Duration.days(config.eventArchiveDays),
      description: 'Every domain event, for replay',
    });
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.bus.applyRemovalPolicy(removalPolicy);
    archive.applyRemovalPolicy(removalPolicy);
  }

  grantPublish(publisher: iam.IGrantable): void {
    this.bus.grantPutEventsTo(publisher);
  }

  /**
   * Delivers events of `detailType` from `source` to `consumer`, retried for up to a day, then
   * dead-lettered. The rule and its queue are made in `scope`, the consumer's service.
   */
  subscribe(scope: Construct, id: string, contract: { source: string; detailType: string }, consumer: lambda.IFunction): sqs.Queue {
    const queueName = `serverless-mall-${this.config.stage}-${id}-dead-letters`;
    this.deadLetterQueues.push({ id, name: queueName, consumer: consumer.node.path });
    const deadLetters = new sqs.Queue(scope, `${id}DeadLetters`, {
      queueName,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: this.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of an EventBridge target; it needs no queue behind it.',
    });
    new events.Rule(scope, id, {
      eventBus: this.bus,
      eventPattern: { source: [contract.source], detailType: [contract.detailType] },
      targets: [
        new targets.LambdaFunction(consumer, { deadLetterQueue: deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) }),
      ],
    });
    return deadLetters;
  }
}
