import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSaleRepository } from '../../functions/order/after-sale-repository';
import { OrderRepository } from '../../functions/order/order-repository';
import { type OrderRecord, openKeys, orderKey, visibleKeys } from '../../functions/order/order-table';
import { OverdueOrderRepository } from '../../functions/order/overdue-order-repository';
import { markPaid } from '../../functions/order/payment-event-service';
import { closeUnpaidOrders, type SweepDeps, stuckOrders, sweepOpenOrders } from '../../functions/order/sweep-service';
import { closePaymentForOrder } from '../../functions/pay/pay-service';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// What the sweeper repairs on its own, and where it stops, against a real DynamoDB engine with
// the real order and payment repositories. Only the saga's executions are stubbed.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
let payments: PaymentRepository;
const ORDERS = 'Orders';
const PAYMENTS = 'Payments';
const BOUND_MS = 600_000;
const limits = { boundMs: BOUND_MS, concurrency: 2, maxRepairs: 5, fulfilmentShare: 0.25 };

beforeAll(async () => {
  tables = await localTables(
    tableSpec(ORDERS, [
      ['ByOpen', 'openPk', 'openKey'],
      ['ByPayDue', 'payPk', 'payDue'],
    ]),
    tableSpec(PAYMENTS, [['ByOutbox', 'outboxPk', 'outboxAt']]),
  );
  db = tables.db;
  payments = new PaymentRepository(db, PAYMENTS);
}, 120_000);

afterAll(() => tables?.stop());

/** The sweeper's deps: the payment closed through the pay function's own service, and `saga` as given. */
function sweepDeps(saga: SweepDeps['saga']): SweepDeps {
  return {
    orders: new OrderRepository(db, ORDERS),
    overdue: new OverdueOrderRepository(db, ORDERS),
    saga,
    payments: { closeForOrder: (orderId) => closePaymentForOrder(payments, orderId) },
    afterSale: new AfterSaleRepository(db, ORDERS),
    refunds: { refundOrder: () => Promise.reject(new Error('no after-sale refund is expected here')) },
  };
}

const orderOf = async (id: number) => (await db.send(new GetCommand({ TableName: ORDERS, Key: orderKey(id), ConsistentRead: true }))).Item!;

describe('a paid payment always reaches its order', () => {
  it('an order whose PaymentSucceeded its consumer never took is marked paid by the sweeper at its deadline, not closed', async () => {
    const now = Date.now();
    const id = 200_001;
    await putItems(db, ORDERS, [awaitingOrderItem(id, 7, now - 1_800_000, now - 60_000, { paymentId: id })]);
    await payments.createForOrder({ id, uid: 7, oid: id, amount: 100, source: 0, status: 'awaiting', createdAt: now - 1_800_000 });
    // The provider's callback: the payment is paid and PaymentSucceeded published, but the
    // order's consumer kept failing until the event was dead-lettered, so the order never heard.
    expect(await payments.markPaid(id, 100, 1)).toBe('paid');
    await payments.markEventPublished(id);
    const paidAt = (await payments.get(id))!.paidAt!;

    const started: string[] = [];
    const deps = sweepDeps({
      start: async (name) => void started.push(name),
      status: async () => 'SUCCEEDED',
      lastError: async () => undefined,
    });
    expect(await closeUnpaidOrders(deps, limits, now)).toMatchObject({ closed: 0, markedPaid: 1, paidAwaitingEvent: 0, closeFailed: 0 });
    expect(started).toEqual([]); // no cancel run: the money is not sent back
    const order = await orderOf(id);
    expect(order).toMatchObject({ state: 'paid', paymentId: id, paidAt });
    expect(order.payPk).toBeUndefined(); // off ByPayDue: a later run does not see it again
    expect(await payments.get(id)).toMatchObject({ status: 'paid' });
    expect(await closeUnpaidOrders(deps, limits, now + 60_000)).toMatchObject({ closed: 0, markedPaid: 0 });
    // The dead-lettered event redriven later changes nothing.
    expect(await markPaid(deps.orders, id, id, paidAt)).toBe('already-paid');
  });
});

/** An order cancelling since long ago under `run`, on ByOpen, as a cancel that stopped leaves it. */
async function stoppedCancel(id: number, since: number) {
  const o: OrderRecord = {
    id,
    uid: 8,
    items: [{ pid: 1, name: 'x', price: 100, num: 1 }],
    total: 100,
    discount: 0,
    amount: 100,
    fromCart: false,
    state: 'cancelling',
    reason: 'CANCELLED_BY_USER',
    run: `cancel-${id}`,
    createdAt: since,
    updatedAt: since,
  };
  await db.send(new PutCommand({ TableName: ORDERS, Item: { ...orderKey(id), ...o, ...visibleKeys(o), ...openKeys(o, since) } }));
}

describe('repairs are bounded', () => {
  it('after maxRepairs failed repair runs the order is parked: no new run, listed by stuck, not blocking others; an operator can make it due again', async () => {
    const start = Date.now();
    const stuck = 300_001; // a repair that can never succeed
    await stoppedCancel(stuck, start - 3_600_000);
    const started: string[] = [];
    const deps = sweepDeps({
      start: async (name) => void started.push(name),
      status: async () => 'FAILED', // every run fails: a compensation refused for good
      lastError: async () => ({ error: 'States.TaskFailed', cause: 'refused', time: 1 }),
    });
    // One sweep a bound apart (and past the wall clock, which stamps each repair's ByOpen key).
    const sweepAt = (n: number) => start + (n + 1) * 2 * BOUND_MS;
    for (let n = 0; n < limits.maxRepairs; n++) {
      expect(await sweepOpenOrders(deps, limits, sweepAt(n)), `sweep ${n}`).toMatchObject({ repaired: 1, parked: 0 });
    }
    expect(started).toEqual(Array.from({ length: limits.maxRepairs }, (_, n) => `repair-${stuck}-${sweepAt(n)}`));
    expect(await orderOf(stuck)).toMatchObject({ state: 'cancelling', repairs: limits.maxRepairs });

    const behind = 300_002; // stopped later: behind the parked one on ByOpen
    await stoppedCancel(behind, start - 1_800_000);
    expect(await sweepOpenOrders(deps, limits, sweepAt(limits.maxRepairs))).toMatchObject({ checked: 2, repaired: 1, parked: 1 });
    expect(started.slice(limits.maxRepairs)).toEqual([`repair-${behind}-${sweepAt(limits.maxRepairs)}`]);
    // Parked: never read again by a sweep, so never repaired again.
    expect(await sweepOpenOrders(deps, limits, sweepAt(limits.maxRepairs + 1))).toMatchObject({ checked: 1, repaired: 1, parked: 0 });
    expect(started.filter((name) => name.startsWith(`repair-${stuck}-`))).toHaveLength(limits.maxRepairs);

    // Listed for the admin at once, however recent its last change.
    const listed = (await stuckOrders(deps.overdue, deps.saga, 3_600_000)).orders.find((o) => o.id === stuck);
    expect(listed).toMatchObject({
      run: started[limits.maxRepairs - 1],
      repairs: limits.maxRepairs,
      parked_at: Math.floor(sweepAt(limits.maxRepairs) / 1000),
      last_error: { error: 'States.TaskFailed' },
    });

    // The operator's retry (sweep-service.ts stuckOrders): due again, with a fresh bound.
    await db.send(
      new UpdateCommand({
        TableName: ORDERS,
        Key: orderKey(stuck),
        UpdateExpression: 'SET openKey = :zero REMOVE parkedAt, repairs',
        ConditionExpression: 'attribute_exists(parkedAt)',
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );
    const retryAt = sweepAt(limits.maxRepairs + 2);
    await sweepOpenOrders(deps, limits, retryAt);
    expect(started).toContain(`repair-${stuck}-${retryAt}`);
    expect(await orderOf(stuck)).toMatchObject({ state: 'cancelling', repairs: 1 });
  });

  it('two sweeps that read the order alike start one repair run between them', async () => {
    const id = 300_101;
    await stoppedCancel(id, Date.now() - 3_600_000);
    const overdue = new OverdueOrderRepository(db, ORDERS);
    const read = (await new OrderRepository(db, ORDERS).get(id))!;
    expect(await overdue.startRepair(read, `repair-${id}-1`)).toBe(true);
    expect(await overdue.startRepair(read, `repair-${id}-2`)).toBe(false);
    expect(await orderOf(id)).toMatchObject({ run: `repair-${id}-1`, repairs: 1 });
  });
});
