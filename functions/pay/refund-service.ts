import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { publish } from '../../shared/event-bus';
import { refunded } from '../../shared/events';
import { logger, metrics } from '../../shared/powertools';
import { RETRY, retry } from '../../shared/retry';
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
