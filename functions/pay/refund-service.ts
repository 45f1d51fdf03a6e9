import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { publish } from '../../shared/event-bus';
import { refunded } from '../../shared/events';
import { logger, metrics } from '../../shared/powertools';
import type { PaymentProvider } from './payment-provider';
import type { PaymentRepository } from './payment-repository';
import type { RefundRecord, RefundRepository } from './refund-repository';

/** What carrying a refund through needs: its records, the provider and the bus. */
export interface RefundDeps {
  refunds: RefundRepository;
  payments: PaymentRepository;
  provider: PaymentProvider;
  busName: string;
}

export type RefundProgress = 'refunded' | 'missing';

/**
 * Carries an asked-for refund to its end, each part once: the provider refunds (idempotent by
 * the refund id, so a call repeated after a crash moves no money twice), the refund is recorded
 * succeeded with the provider's reference, and `Refunded` goes on the bus (an outbox flag on
 * the refund until it has). Throws if the provider or the bus fails: the refund stays on the
 * relay's index and is tried again.
 */
export async function finishRefund(deps: RefundDeps, paymentId: number, refundId: string): Promise<RefundProgress> {
  let refund = await deps.refunds.get(paymentId, refundId);
  if (!refund) return 'missing';
  if (refund.state === 'pending') {
    const { reference } = await deps.provider.refund({ paymentId, amount: refund.amount, refundId });
    if ((await deps.refunds.complete(refund, reference)) === 'completed') metrics.addMetric('Refunded', MetricUnit.Count, 1);
    refund = (await deps.refunds.get(paymentId, refundId))!;
  }
  if (refund.eventPending) await publishRefunded(deps, refund);
  return 'refunded';
}

async function publishRefunded(deps: RefundDeps, refund: RefundRecord) {
  const payment = (await deps.payments.get(refund.paymentId))!;
  await publish(
    refunded,
    {
      version: 1,
      refundId: refund.refundId,
      paymentId: refund.paymentId,
      orderId: refund.oid,
      uid: refund.uid,
      amount: refund.amount,
      refundedTotal: Math.max(payment.refunded ?? 0, refund.amount),
      paymentAmount: payment.amount,
      reason: refund.reason,
      reference: refund.reference!,
      refundedAt: refund.refundedAt!,
    },
    deps.busName,
  );
  await deps.refunds.eventPublished(refund);
}

/** One try, right after the refund was asked for; if the provider or the bus fails, the relay finishes it. */
export async function tryFinishRefund(deps: RefundDeps, paymentId: number, refundId: string): Promise<RefundProgress | 'deferred'> {
  try {
    return await finishRefund(deps, paymentId, refundId);
  } catch (error) {
    metrics.addMetric('RefundDeferred', MetricUnit.Count, 1);
    logger.warn('refund not finished; the relay will retry it', { paymentId, refundId, error: String(error) });
    return 'deferred';
  }
}

/**
 * The relay's half for refunds: every refund asked for more than `graceMs` ago (so an inline try
 * is not raced) and not finished (provider not answered, or Refunded not on the bus) is tried
 * again, until the provider answers. A refund that fails stays for the next run.
 */
export async function relayRefunds(deps: RefundDeps, graceMs: number, now = Date.now(), stopAt = Infinity) {
  let refundsFinished = 0;
  let refundsFailed = 0;
  for await (const page of deps.refunds.unfinished(now - graceMs)) {
    for (const { paymentId, refundId } of page) {
      if (Date.now() >= stopAt) return { refundsFinished, refundsFailed };
      try {
        if ((await finishRefund(deps, paymentId, refundId)) === 'refunded') refundsFinished++;
      } catch (error) {
        refundsFailed++;
        logger.warn('refund still not finished', { paymentId, refundId, error: String(error) });
      }
    }
  }
  return { refundsFinished, refundsFailed };
}
