import { requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { eventBusName, paymentRepository, refundDeps } from '../dependencies';
import { relayPendingEvents } from '../outbox-relay';
import { publishPaymentSucceeded } from '../pay-service';
import { refundRetryFromEnv, relayRefunds } from '../refund-service';

const repo = paymentRepository();
const bus = eventBusName();
const refunds = refundDeps();
const graceMs = requireIntEnv('OUTBOX_GRACE_SECONDS') * 1000;
const retry = refundRetryFromEnv();

/**
 * Every minute: PaymentSucceeded events that never reached the bus are published again, and
 * refunds not yet finished (the provider did not answer, or Refunded is not on the bus) are
 * tried again, with backoff, until flagged for an operator.
 */
export const handler = scheduledHandler('relayed payment events and refunds', async (now, stopAt) => ({
  ...(await relayPendingEvents(repo, (paid) => publishPaymentSucceeded(repo, bus, paid), graceMs, now, stopAt)),
  ...(await relayRefunds(refunds, graceMs, retry, now, stopAt)),
}));
