import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRepository } from '../../functions/order/order-repository';
import { cancelOrder, type OrderCancelDeps } from '../../functions/order/order-service';
import type { CloseOutcome } from '../../functions/pay/payment-repository';
import type { Caller } from '../../shared/caller';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// A stage whose payment service has no provider for refunds (PAY_PROVIDER=none: every AWS stage
// until a real provider's adapter): cancelling a paid order would be a refund that waits forever,
// so it is refused before anything is written; an unpaid order cancels as ever. The order table
// is real; the payment service's close and the saga's starts are recorded.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
const TABLE = 'Orders';
const buyer: Caller = { uid: 21, role: 'user', name: 'b', jti: 'j', exp: 0 };

beforeAll(async () => {
  tables = await localTables(tableSpec(TABLE, [['ByOpen', 'openPk', 'openKey']]));
  db = tables.db;
}, 120_000);
afterAll(() => tables?.stop());

function deps(refundsAvailable: boolean, paymentOutcome: CloseOutcome = 'closed') {
  const closed: number[] = [];
  const runs: string[] = [];
  const d: OrderCancelDeps = {
    orders: new OrderRepository(db, TABLE),
    payments: {
      closeForOrder: async (orderId) => {
        closed.push(orderId);
        return paymentOutcome === 'paid' ? { outcome: 'paid' } : { outcome: paymentOutcome };
      },
    },
    saga: { start: async (name) => void runs.push(name), status: async () => 'UNKNOWN', lastError: async () => undefined },
    refundsAvailable,
  };
  return { d, closed, runs };
}

async function order(id: number, paid: boolean) {
  const now = Date.now();
  await putItems(db, TABLE, [awaitingOrderItem(id, buyer.uid, now, now + 60_000)]);
  if (paid) expect(await new OrderRepository(db, TABLE).transition(id, ['awaiting_payment'], 'paid', { paidAt: now })).toBe(true);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'not refused',
    (error: { status?: number; code?: string; message?: string }) => ({ status: error.status, code: error.code, message: error.message }),
  );

describe('cancel where refunds cannot be made', () => {
  it('a paid order: 409 REFUNDS_UNAVAILABLE, and the order, its payment and the saga are left alone', async () => {
    await order(1, true);
    const { d, closed, runs } = deps(false);
    expect(await refusal(cancelOrder(d, buyer, 1))).toEqual({
      status: 409,
      code: 'REFUNDS_UNAVAILABLE',
      message: expect.stringContaining('no payment provider is configured'),
    });
    expect(await d.orders.get(1)).toMatchObject({ state: 'paid' });
    expect((await d.orders.get(1))?.reason).toBeUndefined();
    expect([closed, runs]).toEqual([[], []]);
  });

  it('an order paid while the buyer cancels (its payment is found paid): refused the same, the order unchanged', async () => {
    await order(2, false);
    const { d, runs } = deps(false, 'paid');
    expect(await refusal(cancelOrder(d, buyer, 2))).toMatchObject({ status: 409, code: 'REFUNDS_UNAVAILABLE' });
    expect(await d.orders.get(2)).toMatchObject({ state: 'awaiting_payment' });
    expect(runs).toEqual([]);
  });

  it('an unpaid order cancels as ever: its payment closed, the cancel run started', async () => {
    await order(3, false);
    const { d, closed, runs } = deps(false);
    expect(await cancelOrder(d, buyer, 3)).toMatchObject({ id: 3, state: 'cancelling' });
    expect([closed, runs]).toEqual([[3], ['cancel-3']]);
  });

  it('with a provider, a paid order cancels (and is refunded by the saga)', async () => {
    await order(4, true);
    const { d, runs } = deps(true);
    expect(await cancelOrder(d, buyer, 4)).toMatchObject({ id: 4, state: 'cancelling' });
    expect(runs).toEqual(['cancel-4']);
  });
});
