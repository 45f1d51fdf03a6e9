import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSaleRepository } from '../../functions/order/after-sale-repository';
import { OrderRepository } from '../../functions/order/order-repository';
import { orderKey } from '../../functions/order/order-table';
import { OverdueOrderRepository } from '../../functions/order/overdue-order-repository';
import { closeUnpaidOrders, type SweepDeps, sweepOpenOrders } from '../../functions/order/sweep-service';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// The sweeper against a real DynamoDB engine: a backlog of overdue orders, and orders it cannot
// act on in front of them. Remote calls (the payment's Lambda, StartExecution) are stubbed with
// a latency like AWS's.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
const TABLE = 'Orders';
const REMOTE_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  tables = await localTables(
    tableSpec(TABLE, [
      ['ByOpen', 'openPk', 'openKey'],
      ['ByPayDue', 'payPk', 'payDue'],
    ]),
  );
  db = tables.db;
}, 120_000);

afterAll(() => tables?.stop());

/** The sweeper's after-sale deps, for tests with no order in after-sale: a refund asked for is a failure. */
const noAfterSale = () => ({
  afterSale: new AfterSaleRepository(db, TABLE),
  refunds: { refundOrder: () => Promise.reject(new Error('no after-sale refund is expected here')) },
});

/** Orders awaiting payment since long ago, `payDue` from `due` on, one ms apart. */
async function unpaidOrders(firstId: number, count: number, due: number) {
  const orders = Array.from({ length: count }, (_, i) =>
    awaitingOrderItem(firstId + i, 1, due - 1_800_000, due + i, { paymentId: firstId + i }),
  );
  await putItems(db, TABLE, orders);
}

describe('the sweeper finds every order that is not final', () => {
  it('an order moved to cancelling whose cancel run never started (StartExecution throttled) is cancelled by a later run', async () => {
    const now = Date.now();
    await unpaidOrders(100_001, 1, now + 600_000); // not yet due
    const orders = new OrderRepository(db, TABLE);
    expect(await orders.transition(100_001, ['awaiting_payment'], 'cancelling', { run: 'cancel-100001' })).toBe(true);
    let throttled = 1;
    const started: string[] = [];
    const deps: SweepDeps = {
      orders,
      overdue: new OverdueOrderRepository(db, TABLE),
      saga: {
        start: async (name) => {
          if (throttled-- > 0) throw new Error('ThrottlingException');
          started.push(name);
        },
        status: async () => 'MISSING',
        lastError: async () => undefined,
      },
      payments: { closeForOrder: async () => ({ outcome: 'closed' }) },
      ...noAfterSale(),
    };
    const limits = { boundMs: 600_000, concurrency: 4, maxRepairs: 5, fulfilmentShare: 0.25 };
    expect(await sweepOpenOrders(deps, limits, now)).toMatchObject({ checked: 0 }); // within the bound
    expect(await sweepOpenOrders(deps, limits, now + 700_000)).toMatchObject({ repaired: 0, repairFailed: 1 });
    // The failed repair left it cancelling and on the index: the next run (after the bound again) starts it.
    expect(await sweepOpenOrders(deps, limits, now + 1_400_000)).toMatchObject({ repaired: 1, repairFailed: 0 });
    expect(started).toEqual([`repair-100001-${now + 1_400_000}`]);
  });
});

describe('the sweeper closes a backlog of unpaid orders', () => {
  it('5,000 overdue orders behind 1,000 it cannot close (paid, event pending): all closed within a few runs', async () => {
    const now = Date.now();
    const paid = new Set<number>();
    for (let i = 0; i < 1_000; i++) paid.add(1 + i);
    await unpaidOrders(1, 1_000, now - 3_600_000); // earliest deadlines: first on every shard's page
    await unpaidOrders(1_001, 5_000, now - 3_000_000);
    const started: string[] = [];
    const deps: SweepDeps = {
      orders: new OrderRepository(db, TABLE),
      overdue: new OverdueOrderRepository(db, TABLE),
      saga: {
        start: async (name) => {
          await sleep(REMOTE_MS);
          started.push(name);
        },
        status: async () => 'SUCCEEDED',
        lastError: async () => undefined,
      },
      payments: {
        closeForOrder: async (id) => {
          await sleep(REMOTE_MS);
          return paid.has(id) ? { outcome: 'paid' } : { outcome: 'closed' }; // paid, as an older pay function answers: no payment
        },
      },
      ...noAfterSale(),
    };
    const limits = { boundMs: 600_000, concurrency: 4, maxRepairs: 5, fulfilmentShare: 0.25 };
    const began = Date.now();
    let runs = 0;
    while (started.length < 5_000 && runs < 5) {
      runs++;
      // A run as the Lambda has it: 60 s, stopping 5 s early; each later run a minute on.
      const result = await closeUnpaidOrders(deps, limits, now + (runs - 1) * 60_000, Date.now() + 55_000);
      console.log(`run ${runs}: ${JSON.stringify(result)}, ${started.length} closed so far, ${((Date.now() - began) / 1000).toFixed(1)} s`);
    }
    const seconds = (Date.now() - began) / 1000;
    console.log(`closed ${started.length} overdue orders in ${runs} run(s), ${seconds.toFixed(1)} s`);
    expect(new Set(started).size).toBe(5_000);
    expect(runs).toBeLessThanOrEqual(3);
    // The paid ones are looked at again later, not on every run.
    const skipped = (await db.send(new GetCommand({ TableName: TABLE, Key: orderKey(1) }))).Item!;
    expect(skipped).toMatchObject({ state: 'awaiting_payment' });
    expect(skipped.payDue).toBeGreaterThan(now);
  }, 300_000);
});
