import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSaleRepository } from '../../functions/order/after-sale-repository';
import { type AfterSaleApprovalDeps, approveRefund, rejectRefund, requestRefund } from '../../functions/order/after-sale-service';
import { FulfilmentRepository } from '../../functions/order/fulfilment-repository';
import { OrderRepository } from '../../functions/order/order-repository';
import { sagaInputOf } from '../../functions/order/order-saga-service';
import type { OrderRecord } from '../../functions/order/order-table';
import { OverdueOrderRepository } from '../../functions/order/overdue-order-repository';
import { type SweepDeps, sweepOpenOrders } from '../../functions/order/sweep-service';
import type { Caller } from '../../shared/caller';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// After-sale's conditional writes against a real DynamoDB engine, with the clock chosen: the
// return window's edge, a request racing the sweeper's completion, decisions racing each other.
// The payment service and the saga are recorded, not run (the e2e tests run them).
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
const TABLE = 'Orders';
const DAY = 86_400_000;
const WINDOW = 7 * DAY;

beforeAll(async () => {
  tables = await localTables(
    tableSpec(TABLE, [
      ['ByState', 'statePk', 'stateKey'],
      ['ByOpen', 'openPk', 'openKey'],
    ]),
  );
  db = tables.db;
}, 120_000);
afterAll(() => tables?.stop());

const buyer = (uid: number): Caller => ({ uid, role: 'user', name: 'b', jti: 'j', exp: 0 });
let nextId = 50_000;

/** Received orders of `uid`, received at `receivedAt`. */
async function receivedOrders(uid: number, count: number, receivedAt: number, fields: Partial<OrderRecord> = {}) {
  const ids = Array.from({ length: count }, () => nextId++);
  await putItems(
    db,
    TABLE,
    ids.map((id) => awaitingOrderItem(id, uid, receivedAt - 3 * DAY, receivedAt, { paidAt: receivedAt - 2 * DAY, ...fields })),
  );
  const orders = new OrderRepository(db, TABLE);
  const fulfilment = new FulfilmentRepository(db, TABLE);
  for (const id of ids) {
    expect(await orders.transition(id, ['awaiting_payment'], 'paid', { paidAt: receivedAt - 2 * DAY })).toBe(true);
    expect(
      await fulfilment.move(id, { to: 'shipped', from: 'paid', at: receivedAt - DAY, carrier: 'SF', trackingNo: `T-${id}` }),
    ).toBeTruthy();
    expect(await fulfilment.move(id, { to: 'received', from: 'shipped', at: receivedAt, by: 'buyer', uid })).toBeTruthy();
  }
  return ids;
}

/** The service's deps, with the payment service's refunds and the saga's starts recorded. */
function deps() {
  const refunds: Array<{ orderId: number; refundId: string; amount: number }> = [];
  const runs: Array<{ name: string; refundAmount?: number }> = [];
  const d: AfterSaleApprovalDeps = {
    orders: new OrderRepository(db, TABLE),
    afterSale: new AfterSaleRepository(db, TABLE),
    refunds: {
      refundOrder: async (r) => {
        refunds.push(r);
        return { outcome: 'requested', amount: r.amount };
      },
    },
    refundsAvailable: true,
    saga: {
      start: async (name, input) => void runs.push({ name, refundAmount: input.refundAmount }),
      status: async () => 'UNKNOWN',
      lastError: async () => undefined,
    },
  };
  return { d, refunds, runs };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('after-sale', () => {
  it('the return window: asked a moment before it ends, accepted; a moment after, RETURN_WINDOW_CLOSED (sweeper or not)', async () => {
    const receivedAt = Date.now() - 30 * DAY;
    const [inTime, late] = await receivedOrders(7, 2, receivedAt);
    const { d } = deps();
    const ask = (id: number, now: number) => requestRefund(d, WINDOW, buyer(7), { id, reason: 'broken' }, now);
    expect(await ask(inTime!, receivedAt + WINDOW - 1)).toMatchObject({ state: 'after_sale', after_sale: { amount: 100 } });
    expect(await codeOf(ask(late!, receivedAt + WINDOW))).toBe('RETURN_WINDOW_CLOSED');
    expect((await d.orders.get(late!))?.state).toBe('received');
    expect(await codeOf(requestRefund(d, WINDOW, buyer(8), { id: late!, reason: 'x' }, receivedAt + DAY))).toBe('ORDER_NOT_FOUND');
  });

  it("a request racing the sweeper's completion: each order is either in after-sale or completed, never both", async () => {
    const receivedAt = Date.now() - WINDOW - 1000;
    const ids = await receivedOrders(9, 12, receivedAt);
    const { d } = deps();
    const fulfilment = new FulfilmentRepository(db, TABLE);
    // The buyer's clock is a moment inside the window; the sweeper's is past it.
    const outcomes = await Promise.all(
      ids.map((id) =>
        Promise.all([
          codeOf(requestRefund(d, WINDOW, buyer(9), { id, reason: 'late' }, receivedAt + WINDOW - 1)),
          fulfilment.move(id, { to: 'completed', from: 'received', at: Date.now() }),
        ]),
      ),
    );
    for (const [i, [asked, completed]] of outcomes.entries()) {
      const order = (await d.orders.get(ids[i]!))!;
      if (asked === 'ok') expect([order.state, completed]).toEqual(['after_sale', undefined]);
      else expect([asked, order.state, order.afterSale]).toEqual(['RETURN_WINDOW_CLOSED', 'completed', undefined]);
    }
  });

  it('decisions racing: approvals and a rejection at once make one decision, and the refund is asked for only if approved', async () => {
    const ids = await receivedOrders(11, 8, Date.now() - DAY);
    const { d, refunds } = deps();
    for (const id of ids) await requestRefund(d, WINDOW, buyer(11), { id, reason: 'broken' });
    await Promise.all(
      ids.map((id) =>
        Promise.all(
          [
            () => approveRefund(d, { id, goods_returned: false }),
            () => approveRefund(d, { id, goods_returned: false }),
            () => rejectRefund(d, { id, note: 'no' }),
          ]
            .map((decide, i, all) => (id % 2 ? decide : all[2 - i]!)) // half the orders get the rejection first
            .map((decide) => codeOf(decide())),
        ),
      ),
    );
    for (const id of ids) {
      const order = (await d.orders.get(id))!;
      expect(order.state).toBe('received');
      const asked = refunds.filter((r) => r.orderId === id);
      // Both approvals may ask (the payment service answers the same refund id once): one id, never for a rejected one.
      expect(new Set(asked.map((r) => r.refundId)).size).toBe(order.afterSale!.state === 'approved' ? 1 : 0);
    }
  });

  it('an approval interrupted after its mark: a rejection is refused, and the same approval again finishes it', async () => {
    const [id] = await receivedOrders(12, 1, Date.now() - DAY);
    const { d, refunds } = deps();
    const asked = (await requestRefund(d, WINDOW, buyer(12), { id: id!, reason: 'broken' })) && (await d.orders.get(id!))!;
    // The approval's first write landed; the function stopped before it asked for the refund.
    expect(await d.afterSale.approveRefund(id!, Date.now())).toMatchObject({ state: 'after_sale', afterSale: { state: 'approved' } });
    // A rejection that read the request before the approval's write: its own write is refused.
    expect(await d.afterSale.reject(asked, 'no', Date.now())).toBeUndefined();
    expect(await codeOf(rejectRefund(d, { id: id!, note: 'no' }))).toBe('REFUND_ALREADY_DECIDED');
    expect(refunds).toEqual([]);
    expect(await approveRefund(d, { id: id!, goods_returned: false })).toMatchObject({
      state: 'received',
      after_sale: { state: 'approved' },
    });
    expect(refunds).toEqual([{ orderId: id, refundId: `return-${id}`, amount: 100, reason: 'AFTER_SALE' }]);
  });

  it('an approval that stopped after its first write is finished by the sweeper once its bound has passed', async () => {
    const [id] = await receivedOrders(15, 1, Date.now() - DAY);
    const { d, refunds } = deps();
    await requestRefund(d, WINDOW, buyer(15), { id: id!, reason: 'broken' });
    const approvedAt = Date.now();
    await d.afterSale.approveRefund(id!, approvedAt); // the approval's first write; then the function stopped
    const sweep: SweepDeps = {
      ...d,
      overdue: new OverdueOrderRepository(db, TABLE),
      payments: { closeForOrder: () => Promise.reject(new Error('no payment is closed here')) },
      saga: { ...d.saga, status: () => Promise.reject(new Error('an order in after-sale has no saga run to ask about')) },
    };
    const limits = { boundMs: 600_000, concurrency: 2, maxRepairs: 5, fulfilmentShare: 0.25 };
    expect(await sweepOpenOrders(sweep, limits, approvedAt + 1_000)).toMatchObject({ checked: 0 }); // within the bound
    expect(refunds).toEqual([]);
    expect(await sweepOpenOrders(sweep, limits, approvedAt + 700_000)).toMatchObject({ repaired: 1, repairFailed: 0 });
    expect(refunds).toEqual([{ orderId: id, refundId: `return-${id}`, amount: 100, reason: 'AFTER_SALE' }]);
    expect(await d.orders.get(id!)).toMatchObject({ state: 'received', afterSale: { state: 'approved' } });
    // Settled: off ByOpen, so the next run has nothing to do.
    expect(await sweepOpenOrders(sweep, limits, approvedAt + 1_400_000)).toMatchObject({ checked: 0 });
  });

  it('an order nothing was paid on (fully discounted): asked and approved with nothing to refund', async () => {
    const [id] = await receivedOrders(14, 1, Date.now() - DAY, { amount: 0, discount: 100 });
    const { d, refunds } = deps();
    expect(await requestRefund(d, WINDOW, buyer(14), { id: id!, reason: 'broken' })).toMatchObject({ after_sale: { amount: 0 } });
    expect(await approveRefund(d, { id: id!, goods_returned: false })).toMatchObject({
      state: 'received',
      after_sale: { state: 'approved' },
    });
    expect(refunds).toEqual([]);
  });

  it('a return approved: the order is cancelling with reason RETURNED, and its run (also as the sweeper restarts it) refunds the amount approved', async () => {
    const [id] = await receivedOrders(13, 1, Date.now() - DAY);
    const { d, runs } = deps();
    await requestRefund(d, WINDOW, buyer(13), { id: id!, reason: 'wrong size', amount: 60 });
    expect(await approveRefund(d, { id: id!, goods_returned: true })).toMatchObject({ state: 'cancelling', reason: 'RETURNED' });
    expect(runs).toEqual([{ name: `cancel-${id}`, refundAmount: 60 }]);
    const order = (await d.orders.get(id!))!;
    expect(sagaInputOf(order, 'cancel', order.reason)).toMatchObject({ action: 'cancel', reason: 'RETURNED', refundAmount: 60 });
  });

  it('where refunds cannot be made (PAY_PROVIDER=none), either approval is 409 REFUNDS_UNAVAILABLE and the request stays to be decided', async () => {
    const [id] = await receivedOrders(16, 1, Date.now() - DAY);
    const [free] = await receivedOrders(16, 1, Date.now() - DAY, { amount: 0, discount: 100 });
    const { d, refunds, runs } = deps();
    const none = { ...d, refundsAvailable: false };
    await requestRefund(d, WINDOW, buyer(16), { id: id!, reason: 'broken' });
    for (const goods_returned of [false, true])
      expect(await codeOf(approveRefund(none, { id: id!, goods_returned }))).toBe('REFUNDS_UNAVAILABLE');
    expect(await d.orders.get(id!)).toMatchObject({ state: 'after_sale', afterSale: { state: 'requested' } });
    expect([refunds, runs]).toEqual([[], []]);
    // Nothing to refund: decided as ever.
    await requestRefund(d, WINDOW, buyer(16), { id: free!, reason: 'broken' });
    expect(await approveRefund(none, { id: free!, goods_returned: false })).toMatchObject({
      state: 'received',
      after_sale: { state: 'approved' },
    });
  });
});
