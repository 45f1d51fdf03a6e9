import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterSaleRepository } from '../../functions/order/after-sale-repository';
import { OrderRepository } from '../../functions/order/order-repository';
import { orderKey } from '../../functions/order/order-table';
import { OverdueOrderRepository } from '../../functions/order/overdue-order-repository';
import { markPaid } from '../../functions/order/payment-event-service';
import { closeUnpaidOrders, type SweepDeps } from '../../functions/order/sweep-service';
import { closePaymentForOrder } from '../../functions/pay/pay-service';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// What the sweeper repairs on its own, against a real DynamoDB engine with
// the real order and payment repositories. Only the saga's executions are stubbed.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
let payments: PaymentRepository;
const ORDERS = 'Orders';
const PAYMENTS = 'Payments';
const BOUND_MS = 600_000;
const limits = { boundMs: BOUND_MS, concurrency: 2 };

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
