import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { requireIntEnv } from '../../shared/env';
import { conflict, notFound } from '../../shared/errors';
import { publish } from '../../shared/event-bus';
import { refunded } from '../../shared/events';
import { logger, metrics } from '../../shared/powertools';
import { RETRY, retry } from '../../shared/retry';
import type { PaymentProvider } from './payment-provider';
import type { PaymentRepository } from './payment-repository';
import type { RefundRecord, RefundRepository, UnfinishedRefund } from './refund-repository';

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

/** What refundForOrder did: asked for (now or before) `amount`, or nothing because the order's payment is not paid or is all asked back. */
export type OrderRefund = { outcome: 'requested'; amount: number } | { outcome: 'not-paid' | 'nothing-left'; amount: 0 };

/**
 * Internal, for the order service's after-sale: asks for refund `refundId` of the order's
 * payment, of `amount` or what is left of it if less, then tries it once (the relay finishes it
 * otherwise). Idempotent by the refund id: asked again, it answers the refund already asked for.
 * A refund of the same payment written between the read and the write refuses this one (the
 * cap's condition): it reads again and retries.
 */
export async function refundForOrder(
  deps: RefundDeps,
  request: { orderId: number; refundId: string; amount: number; reason: string },
): Promise<OrderRefund> {
  const asked = await retry(
    { attempts: 5, baseDelayMs: 20, exhausted: () => new Error(`refund ${request.refundId}: the payment kept changing`) },
    async (): Promise<OrderRefund | typeof RETRY> => {
      const payment = await deps.payments.forOrder(request.orderId);
      if (payment?.status !== 'paid') return { outcome: 'not-paid', amount: 0 };
      const existing = await deps.refunds.get(payment.id, request.refundId);
      if (existing) return { outcome: 'requested', amount: existing.amount };
      const amount = Math.min(request.amount, payment.amount - (payment.refundRequested ?? 0));
      if (amount <= 0) return { outcome: 'nothing-left', amount: 0 };
      const refund = { refundId: request.refundId, amount, reason: request.reason };
      return (await deps.refunds.request(payment, refund, 'paid')) === 'refused' ? RETRY : { outcome: 'requested', amount };
    },
  );
  // A payment takes its order's id.
  if (asked.outcome === 'requested') await tryFinishRefund(deps, request.orderId, request.refundId);
  return asked;
}

/**
 * How the relay retries a refund that fails (StageConfig.refundRetry): after the n-th failed run
 * it waits `baseDelayMs` * 2^(n-1), at most `maxDelayMs`, and after `maxAttempts` it flags the
 * refund for an operator instead.
 */
export interface RefundRetry {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function refundRetryFromEnv(): RefundRetry {
  return {
    maxAttempts: requireIntEnv('REFUND_MAX_ATTEMPTS'),
    baseDelayMs: requireIntEnv('REFUND_RETRY_BASE_SECONDS') * 1000,
    maxDelayMs: requireIntEnv('REFUND_RETRY_MAX_SECONDS') * 1000,
  };
}

/**
 * The relay's half for refunds: every refund asked for more than `graceMs` ago (so an inline try
 * is not raced), not finished (provider not answered, or Refunded not on the bus) and due is
 * tried again. One that fails waits longer each time, so that a refund the provider keeps
 * refusing does not take every run's time from those behind it, and after the bound is flagged
 * (RefundFlagged, alarmed): still pending, listed for an operator, no longer tried. Each run
 * reports the age of the oldest unfinished refund (OldestPendingRefundAgeSeconds, alarmed), so
 * that money owed for too long is seen whatever the reason, a stage without a provider included.
 */
export async function relayRefunds(deps: RefundDeps, graceMs: number, policy: RefundRetry, now = Date.now(), stopAt = Infinity) {
  const oldestAt = await deps.refunds.oldestUnfinishedAt();
  const oldestRefundAgeSeconds = oldestAt === undefined ? 0 : Math.max(0, Math.floor((now - oldestAt) / 1000));
  metrics.addMetric('OldestPendingRefundAgeSeconds', MetricUnit.Seconds, oldestRefundAgeSeconds);
  const result = { refundsFinished: 0, refundsFailed: 0, refundsFlagged: 0, oldestRefundAgeSeconds };
  for await (const page of deps.refunds.unfinished(now - graceMs, now)) {
    for (const refund of page) {
      if (Date.now() >= stopAt) return result;
      try {
        if ((await finishRefund(deps, refund.paymentId, refund.refundId)) === 'refunded') result.refundsFinished++;
      } catch (error) {
        result.refundsFailed++;
        if (await recordRelayFailure(deps, policy, refund, String(error), now)) result.refundsFlagged++;
      }
    }
  }
  return result;
}

/** Records a failed run on the refund: its next try, or past the bound its flag. True if it was flagged now. */
async function recordRelayFailure(deps: RefundDeps, policy: RefundRetry, refund: UnfinishedRefund, error: string, now: number) {
  const attempts = refund.attempts + 1;
  const flag = attempts >= policy.maxAttempts;
  const nextTryAt = now + Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
  const recorded = await deps.refunds.recordFailure(refund, { attempts, nextTryAt, error, flag }, now);
  const where = { paymentId: refund.paymentId, refundId: refund.refundId, attempts, error };
  if (!(recorded && flag)) {
    logger.warn('refund still not finished', { ...where, nextTryAt });
    return false;
  }
  metrics.addMetric('RefundFlagged', MetricUnit.Count, 1);
  logger.error('refund flagged for an operator: it kept failing and is no longer retried (GET /api/pay/refunds/flagged)', where);
  return true;
}

/** Admin: the refunds flagged for an operator, oldest first, with why they fail. */
export async function flaggedRefunds(refunds: RefundRepository) {
  const flagged = await refunds.flagged();
  return {
    refunds: flagged.map((r) => ({
      payment_id: r.paymentId,
      refund_id: r.refundId,
      oid: r.oid,
      uid: r.uid,
      amount: r.amount,
      reason: r.reason,
      state: r.state,
      attempts: r.attempts ?? 0,
      ...(r.lastError ? { last_error: r.lastError } : {}),
      create_time: Math.floor(r.createdAt / 1000),
      flag_time: Math.floor(r.flaggedAt! / 1000),
    })),
  };
}

/**
 * Admin: a flagged refund is tried again by the relay's next run, with a fresh count of attempts
 * (once its cause is fixed: a provider configured, an account topped up). 404 if there is no
 * such refund, 409 if it is not flagged.
 */
export async function requeueRefund(refunds: RefundRepository, paymentId: number, refundId: string) {
  if (await refunds.requeue(paymentId, refundId)) return { payment_id: paymentId, refund_id: refundId, state: 'requeued' as const };
  if (!(await refunds.get(paymentId, refundId))) throw notFound('REFUND_NOT_FOUND', 'refund not found');
  throw conflict('REFUND_NOT_FLAGGED', 'only a flagged refund can be re-queued; this one is finished, or the relay is still retrying it');
}
