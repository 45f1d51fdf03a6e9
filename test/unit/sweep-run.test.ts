import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FulfilmentRepository } from '../../functions/order/fulfilment-repository';
import type { OrderRecord } from '../../functions/order/order-table';
import type { OverdueOrderRepository } from '../../functions/order/overdue-order-repository';
import { sweepOrders } from '../../functions/order/sweep-run';
import type { SweepDeps } from '../../functions/order/sweep-service';

afterEach(() => vi.restoreAllMocks());

const order = (id: number, state: OrderRecord['state']): OrderRecord => ({
  id,
  uid: 1,
  items: [],
  total: 100,
  discount: 0,
  amount: 100,
  fromCart: false,
  state,
  createdAt: 0,
  updatedAt: 0,
});

describe('one sweeper run', () => {
  it('keeps a share of its time for fulfilment, however many stuck sagas come first', async () => {
    let clock = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    let nextId = 1;
    // An endless backlog of pending orders whose saga is still running, each look taking a second.
    async function* endless() {
      for (;;) yield Array.from({ length: 10 }, () => order(nextId++, 'pending'));
    }
    async function* none(): AsyncIterable<OrderRecord[]> {}
    async function* shipped() {
      yield [order(-1, 'shipped')];
    }
    const moved: string[] = [];
    const deps = {
      overdue: {
        shards: 1,
        openBefore: () => endless,
        unpaidBefore: () => none,
        lookAgainAt: async () => true,
      } as unknown as OverdueOrderRepository,
      saga: {
        status: async () => {
          clock += 1_000;
          return 'RUNNING';
        },
        start: async () => undefined,
        lastError: async () => undefined,
      },
      fulfilment: {
        enteredBefore: (state: string) => (state === 'shipped' ? shipped() : none()),
        move: async (id: number, step: { to: string }) => {
          moved.push(`${id} ${step.to}`);
          return order(id, 'received');
        },
      } as unknown as FulfilmentRepository,
    } as unknown as SweepDeps & { fulfilment: FulfilmentRepository };
    const limits = { boundMs: 600_000, concurrency: 1, maxRepairs: 5, fulfilmentShare: 0.25 };
    const fulfilment = { autoReceiveMs: 0, returnWindowMs: 0, concurrency: 1 };

    const result = await sweepOrders(deps, limits, fulfilment, clock, clock + 60_000);
    expect(result.autoReceived).toBe(1);
    expect(moved).toEqual(['-1 received']);
    expect(result.stillRunning).toBe(45); // three quarters of 60 s, a second each
  });
});
