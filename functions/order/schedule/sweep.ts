import { requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { sweepDeps } from '../dependencies';
import { closeUnpaidOrders, sweepOpenOrders } from '../sweep-service';

const deps = sweepDeps();
const boundMs = requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000;

/**
 * Every minute: closes orders not paid in time, and drives orders whose saga ended abnormally
 * (or never ran) to a terminal state. Stuck sagas first: there are few, while a busy shop may
 * have many unpaid orders to close.
 */
export const handler = scheduledHandler('swept orders', async (now, stopAt) => {
  const repaired = await sweepOpenOrders(deps, boundMs, now, stopAt);
  return { ...repaired, ...(await closeUnpaidOrders(deps, now, stopAt)) };
});
