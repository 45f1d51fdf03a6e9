import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrderRepository } from '../../functions/order/order-repository';
import { orderKey } from '../../functions/order/order-table';
import { markPaid } from '../../functions/order/payment-event-service';
import { relayPendingEvents } from '../../functions/pay/outbox-relay';
import { handleCallback, publishPaymentSucceeded } from '../../functions/pay/pay-service';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { PROVIDER_PAID } from '../../functions/pay/schemas';
import type { PaymentSucceeded } from '../../shared/events';
import { localTables, tableSpec } from './local-tables';

// The payment outbox against a real DynamoDB engine: PaymentSucceeded fails to reach the bus
// once; the relay publishes it again and the order is paid. The bus delivers straight to the
// order's consumer.
const bus = vi.hoisted(() => ({ failures: 0, deliver: async (_: unknown) => {} }));
vi.mock('../../shared/event-bus', () => ({
  publish: async (_contract: unknown, detail: unknown) => {
    if (bus.failures > 0) {
      bus.failures--;
      throw new Error('EventBridge unavailable');
    }
    await bus.deliver(detail);
  },
}));

let tables: Awaited<ReturnType<typeof localTables>>;
let orders: OrderRepository;
let payments: PaymentRepository;

beforeAll(async () => {
  tables = await localTables(tableSpec('Orders'), tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]));
  orders = new OrderRepository(tables.db, 'Orders');
  payments = new PaymentRepository(tables.db, 'Payments');
  bus.deliver = async (detail) => {
    const paid = detail as PaymentSucceeded;
    await markPaid(orders, paid.orderId, paid.paymentId, paid.paidAt);
  };
}, 120_000);

afterAll(() => tables?.stop());

describe('the payment outbox relay', () => {
  it('a PaymentSucceeded that failed to publish is published again, and the order is paid', async () => {
    const now = Date.now();
    const order = { id: 7, uid: 3, items: [{ pid: 1, name: 'x', price: 500, num: 1 }], total: 500, discount: 0, amount: 500 };
    await tables.db.send(
      new PutCommand({
        TableName: 'Orders',
        Item: { ...orderKey(7), ...order, fromCart: false, state: 'awaiting_payment', createdAt: now, updatedAt: now },
      }),
    );
    const payment = await payments.createForOrder({ id: 70, uid: 3, oid: 7, amount: 500, source: 0, status: 'awaiting', createdAt: now });

    bus.failures = 1;
    const callback = { id: payment.id, uid: 3, oid: 7, amount: 500, source: 1, status: PROVIDER_PAID };
    // The payment is recorded: the callback answers paid, and the event is left to the relay.
    expect(await handleCallback(payments, 'bus', callback)).toMatchObject({ state: 'paid' });
    expect(await payments.get(70)).toMatchObject({ status: 'paid', eventPending: true });
    expect(await orders.get(7)).toMatchObject({ state: 'awaiting_payment' });

    const relay = (at: number) => relayPendingEvents(payments, (paid) => publishPaymentSucceeded(payments, 'bus', paid), 60_000, at);
    expect(await relay(now)).toEqual({ republished: 0, failed: 0 }); // within the grace: the callback's own publish may be under way
    bus.failures = 1;
    expect(await relay(now + 120_000)).toEqual({ republished: 0, failed: 1 }); // the bus still down: kept for the next run
    expect(await relay(now + 180_000)).toEqual({ republished: 1, failed: 0 });
    expect(await orders.get(7)).toMatchObject({ state: 'paid', paymentId: 70 });
    expect((await payments.get(70))?.eventPending).toBeUndefined();
    expect(await relay(now + 240_000)).toEqual({ republished: 0, failed: 0 }); // delivered: not again
  });
});
