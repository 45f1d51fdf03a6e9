import { requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { eventBusName, paymentRepository } from '../dependencies';
import { relayPendingEvents } from '../outbox-relay';
import { publishPaymentSucceeded } from '../pay-service';

const repo = paymentRepository();
const bus = eventBusName();
const graceMs = requireIntEnv('OUTBOX_GRACE_SECONDS') * 1000;

/** Every minute: PaymentSucceeded events that never reached the bus are published again. */
export const handler = scheduledHandler('relayed payment events', (now, stopAt) =>
  relayPendingEvents(repo, (paid) => publishPaymentSucceeded(repo, bus, paid), graceMs, now, stopAt),
);
