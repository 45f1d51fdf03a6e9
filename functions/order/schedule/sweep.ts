import { requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { sweepDeps } from '../dependencies';
import { advanceFulfilment, fulfilmentLimitsOf } from '../fulfilment-sweep';
import { closeUnpaidOrders, type SweepLimits, sweepOpenOrders } from '../sweep-service';

const deps = sweepDeps();
const limits: SweepLimits = {
  boundMs: requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000,
  concurrency: requireIntEnv('SWEEP_CONCURRENCY'),
  maxRepairs: 5,
};
const fulfilment = fulfilmentLimitsOf(requireIntEnv('AUTO_RECEIVE_DAYS'), requireIntEnv('RETURN_WINDOW_DAYS'), limits.concurrency);

/**
 * Every minute: closes orders not paid in time, and drives orders whose saga ended abnormally
 * (or never ran) to a terminal state. Stuck sagas first: there are few, while a busy shop may
 * have many unpaid orders to close. Each part pages through its index until done or until the
 * run's deadline (before the Lambda timeout); the next run goes on. Last, the steps after
 * shipping that time takes: auto-receipt and completion.
 */
export const handler = scheduledHandler('swept orders', async (now, stopAt) => {
  const repaired = await sweepOpenOrders(deps, limits, now, stopAt);
  const closed = await closeUnpaidOrders(deps, limits, now, stopAt);
  return { ...repaired, ...closed, ...(await advanceFulfilment(deps, fulfilment, now, stopAt)) };
});
