import { logger } from '../../shared/powertools';
import type { PaymentRecord, PaymentRepository } from './payment-repository';

/**
 * The outbox relay: a payment marked paid whose PaymentSucceeded did not reach the bus (the
 * publish failed, or the function stopped between the two) is published again, until it is
 * delivered. Only payments paid more than `graceMs` ago, so the callback's own publish is not
 * raced; one delivered twice is harmless, every consumer being idempotent.
 */
export async function relayPendingEvents(
  repo: PaymentRepository,
  publish: (paid: PaymentRecord) => Promise<void>,
  graceMs: number,
  now = Date.now(),
  stopAt = Infinity,
) {
  let republished = 0;
  let failed = 0;
  for await (const page of repo.pendingEvents(now - graceMs)) {
    for (const pending of page) {
      if (Date.now() >= stopAt) return { republished, failed }; // the next run goes on
      const current = await repo.get(pending.id);
      if (!current?.eventPending || current.status !== 'paid') continue; // published meanwhile
      try {
        await publish(current);
        republished++;
      } catch (error) {
        failed++; // stays pending: the next run tries again
        logger.warn('PaymentSucceeded not republished', { paymentId: current.id, error: String(error) });
      }
    }
  }
  return { republished, failed };
}
