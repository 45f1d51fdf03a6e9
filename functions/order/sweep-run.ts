import type { FulfilmentRepository } from './fulfilment-repository';
import { advanceFulfilment, type FulfilmentLimits } from './fulfilment-sweep';
import { closeUnpaidOrders, type SweepDeps, type SweepLimits, stopBeforeFulfilment, sweepOpenOrders } from './sweep-service';

/**
 * One run of the sweeper. Stuck sagas first: there are few, while a busy shop may have many
 * unpaid orders to close. Each part pages through its index until done or until its deadline;
 * the next run goes on. Fulfilment (auto-receipt, completion) comes last with a share of the
 * run kept for it, so it advances even while a backlog fills the earlier parts' time.
 */
export async function sweepOrders(
  deps: SweepDeps & { fulfilment: FulfilmentRepository },
  limits: SweepLimits,
  fulfilment: FulfilmentLimits,
  now: number,
  stopAt: number,
) {
  const beforeFulfilment = stopBeforeFulfilment(stopAt, limits.fulfilmentShare);
  const repaired = await sweepOpenOrders(deps, limits, now, beforeFulfilment);
  const closed = await closeUnpaidOrders(deps, limits, now, beforeFulfilment);
  return { ...repaired, ...closed, ...(await advanceFulfilment(deps, fulfilment, now, stopAt)) };
}
