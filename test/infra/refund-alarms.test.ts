import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config';
import { synthStage } from './synth';

// Money owed is watched: the relay never errors (it retries every refund), so the refunds
// themselves are alarmed on, from the payment service's metrics.
const template = synthStage('prod').merged;
const resources = Object.entries<any>(template.Resources);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([, r]) => r);
const [topic] = resources.find(([, r]) => r.Type === 'AWS::SNS::Topic') ?? [];
const { refundRetry } = stageConfig('prod', {});

/** The alarms on one metric, each as its metric, statistic and threshold. */
const alarmOn = (metricName: string) =>
  ofType('AWS::CloudWatch::Alarm')
    .filter((a) => a.Properties.Metrics?.[0]?.MetricStat?.Metric.MetricName === metricName)
    .map((a) => {
      const { Metric, Stat, Period } = a.Properties.Metrics[0].MetricStat;
      const { Threshold, ComparisonOperator, AlarmActions } = a.Properties;
      return { Namespace: Metric.Namespace, Dimensions: Metric.Dimensions, Stat, Period, Threshold, ComparisonOperator, AlarmActions };
    });

describe('refund alarms', () => {
  it('fire when the oldest unfinished refund, as the relay measures it, is older than the configured bound', () => {
    const [overdue, ...more] = alarmOn('OldestPendingRefundAgeSeconds');
    expect(more).toEqual([]);
    expect(overdue).toMatchObject({
      Namespace: 'ServerlessMall',
      Dimensions: [{ Name: 'service', Value: 'pay' }],
      Stat: 'Maximum',
      Threshold: refundRetry.alarmAgeSeconds,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(refundRetry.alarmAgeSeconds).toBe(3600);
    expect(JSON.stringify(overdue!.AlarmActions)).toContain(topic);
  });

  it('fire on any deferred refund and any refund flagged for an operator', () => {
    for (const name of ['RefundDeferred', 'RefundFlagged']) {
      const [alarm, ...more] = alarmOn(name);
      expect(more, name).toEqual([]);
      expect(alarm, name).toMatchObject({
        Namespace: 'ServerlessMall',
        Dimensions: [{ Name: 'service', Value: 'pay' }],
        Stat: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(JSON.stringify(alarm!.AlarmActions)).toContain(topic);
    }
  });

  it('are graphed on the dashboard', () => {
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0].Properties.DashboardBody);
    expect(body).toContain('Refunds: oldest unfinished, deferred, flagged');
    for (const name of ['OldestPendingRefundAgeSeconds', 'RefundDeferred', 'RefundFlagged']) expect(body).toContain(name);
  });

  it("give the relay the stage's retry bound and backoff", () => {
    const [relay] = resources.find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('PaymentsRelayEvents'))!.slice(1);
    expect(relay.Properties.Environment.Variables).toMatchObject({
      REFUND_MAX_ATTEMPTS: String(refundRetry.maxAttempts),
      REFUND_RETRY_BASE_SECONDS: String(refundRetry.baseDelaySeconds),
      REFUND_RETRY_MAX_SECONDS: String(refundRetry.maxDelaySeconds),
    });
  });
});
