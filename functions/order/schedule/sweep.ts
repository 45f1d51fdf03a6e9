import { requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { sweepDeps } from '../dependencies';
import { fulfilmentLimitsOf } from '../fulfilment-sweep';
import { sweepOrders } from '../sweep-run';
import type { SweepLimits } from '../sweep-service';

const deps = sweepDeps();
const limits: SweepLimits = {
  boundMs: requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000,
  concurrency: requireIntEnv('SWEEP_CONCURRENCY'),
  maxRepairs: 5,
  fulfilmentShare: 0.25,
};
const fulfilment = fulfilmentLimitsOf(requireIntEnv('AUTO_RECEIVE_DAYS'), requireIntEnv('RETURN_WINDOW_DAYS'), limits.concurrency);

/**
 * Every minute: closes orders not paid in time (marking paid those whose payment was), drives
 * orders whose saga ended abnormally (or never ran) to a terminal state, parking those whose
 * repairs keep failing, then takes the steps after shipping that time takes: auto-receipt and
 * completion. The run stops before the Lambda timeout; the next run goes on.
 */
export const handler = scheduledHandler('swept orders', (now, stopAt) => sweepOrders(deps, limits, fulfilment, now, stopAt));
