import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { StageConfig } from '../config';
import { METRICS_NAMESPACE } from './service-function';

/** Makes an alarm that notifies the alarm topic (Observability's). */
type AlarmMaker = (name: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>) => cloudwatch.Alarm;

/**
 * Money owed, watched: the relay catches every provider error (it retries), so its Lambda never
 * errors and no function alarm would fire for a refund that never goes through, a stage without
 * a payment provider included. These watch the refunds themselves, from the payment service's
 * metrics (refund-service.ts): the oldest unfinished refund's age, measured by every relay run;
 * refunds whose first try failed (RefundDeferred); refunds flagged for an operator after the
 * retry bound (RefundFlagged, listed by GET /api/pay/refunds/flagged).
 */
export function watchRefunds(dashboard: cloudwatch.Dashboard, alarm: AlarmMaker, config: StageConfig): void {
  const payMetric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      statistic,
      period: Duration.minutes(5),
      dimensionsMap: { service: 'pay' },
      label,
    });
  const oldestAge = payMetric('OldestPendingRefundAgeSeconds', 'Maximum', 'oldest unfinished refund (s)');
  const deferred = payMetric('RefundDeferred', 'Sum', 'deferred (first try failed)');
  const flagged = payMetric('RefundFlagged', 'Sum', 'flagged for an operator');

  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Refunds: oldest unfinished, deferred, flagged',
      left: [oldestAge],
      right: [deferred, flagged],
      leftAnnotations: [{ value: config.refundRetry.alarmAgeSeconds, label: 'alarm' }],
      width: 12,
    }),
  );

  const hours = config.refundRetry.alarmAgeSeconds / 3600;
  alarm('RefundOverdue', {
    metric: oldestAge,
    threshold: config.refundRetry.alarmAgeSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    alarmDescription: `A refund has been owed for more than ${hours} h (asked for and not finished): is a payment provider configured (PAY_PROVIDER)? See GET /api/pay/refunds/flagged and the relay's logs`,
  });
  alarm('RefundDeferred', {
    metric: deferred,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    alarmDescription: "A refund's first try failed (the provider or the bus): the relay retries it with backoff",
  });
  alarm('RefundFlagged', {
    metric: flagged,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    alarmDescription: `A refund failed ${config.refundRetry.maxAttempts} times and is no longer retried: an operator must look (GET /api/pay/refunds/flagged) and, once the cause is fixed, re-queue it (POST /api/pay/refunds/requeue)`,
  });
}
