import type { FulfilmentRepository } from './fulfilment-repository';
import { type SweepDeps, sweepShards } from './sweep-service';

/** The sweeper's fulfilment settings (stage config `fulfilment`), in ms. */
export interface FulfilmentLimits {
  /** A shipped order is received automatically this long after shipping (MALL_AUTO_RECEIVE_DAYS). */
  autoReceiveMs: number;
  /** A received order is completed this long after receipt: the return window (MALL_RETURN_WINDOW_DAYS). */
  returnWindowMs: number;
  concurrency: number;
}

const DAY_MS = 86_400_000;

/** FulfilmentLimits from the sweep function's environment (AUTO_RECEIVE_DAYS, RETURN_WINDOW_DAYS). */
export const fulfilmentLimitsOf = (autoReceiveDays: number, returnWindowDays: number, concurrency: number): FulfilmentLimits => ({
  autoReceiveMs: autoReceiveDays * DAY_MS,
  returnWindowMs: returnWindowDays * DAY_MS,
  concurrency,
});

/**
 * The automatic steps after shipping, as of `now` (the schedule's time): orders shipped before
 * `now - autoReceiveMs` are received (`received_by: auto`), then orders received before
 * `now - returnWindowMs` are completed. Each is a conditional write from the expected state, so
 * a buyer's receipt racing the sweeper's makes one transition, and a run repeated changes nothing.
 * Read from ByState (no scan), shard by shard, oldest first.
 */
export async function advanceFulfilment(
  deps: SweepDeps & { fulfilment: FulfilmentRepository },
  limits: FulfilmentLimits,
  now = Date.now(),
  stopAt = Infinity,
) {
  const received = await sweepShards(
    deps,
    (shard) => deps.fulfilment.enteredBefore('shipped', shard, now - limits.autoReceiveMs),
    limits.concurrency,
    stopAt,
    async (order) => ((await deps.fulfilment.move(order.id, { to: 'received', from: 'shipped', at: now, by: 'auto' })) ? 'acted' : 'moved'),
  );
  const completed = await sweepShards(
    deps,
    (shard) => deps.fulfilment.enteredBefore('received', shard, now - limits.returnWindowMs),
    limits.concurrency,
    stopAt,
    async (order) => ((await deps.fulfilment.move(order.id, { to: 'completed', from: 'received', at: now })) ? 'acted' : 'moved'),
  );
  return { autoReceived: received.acted, completed: completed.acted, fulfilmentFailed: received.failed + completed.failed };
}
