import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { RefundRepository } from '../../functions/pay/refund-repository';
import { localTables, tableSpec } from './local-tables';

// The refund cap is the payment item's condition, not the callers' clamping: a caller that asks
// for too much, or holds a wrong copy of the payment, is refused by DynamoDB itself.
let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let refunds: RefundRepository;

async function paid(id: number, amount: number) {
  await payments.createForOrder({ id, uid: 1, oid: id, amount, source: 0, status: 'awaiting', createdAt: Date.now() });
  expect(await payments.markPaid(id, amount, 1)).toBe('paid');
  return { id, uid: 1, oid: id, amount };
}
const refund = (refundId: string, amount: number) => ({ refundId, amount, reason: 'AFTER_SALE' });

beforeAll(async () => {
  tables = await localTables(tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]));
  payments = new PaymentRepository(tables.db, 'Payments');
  refunds = new RefundRepository(tables.db, 'Payments');
}, 120_000);

afterAll(() => tables?.stop());

describe('the refund cap', () => {
  it('refuses a first refund larger than the payment, unclamped by the caller', async () => {
    const payment = await paid(1, 500);
    expect(await refunds.request(payment, refund('too-much', 800), 'paid')).toBe('refused');
    expect(await payments.get(1)).not.toHaveProperty('refundRequested');
    expect(await refunds.forPayment(1)).toEqual([]);
    expect(await refunds.request(payment, refund('all', 500), 'paid')).toBe('requested');
    expect(await refunds.request(payment, refund('one-more', 1), 'paid')).toBe('refused');
    expect(await payments.get(1)).toMatchObject({ refundRequested: 500 });
  });

  it('refuses a caller whose copy of the payment says more was paid than was', async () => {
    const stored = await paid(2, 500);
    const inflated = { ...stored, amount: 1000 };
    expect(await refunds.request(inflated, refund('first', 800), 'paid')).toBe('refused');
    expect(await refunds.request(stored, refund('first', 100), 'paid')).toBe('requested');
    expect(await refunds.request(inflated, refund('second', 800), 'paid')).toBe('refused');
    expect(await refunds.request(stored, refund('second', 400), 'paid')).toBe('requested');
    expect(await payments.get(2)).toMatchObject({ refundRequested: 500 });
  });

  it('refuses a refund that is not a positive number of cents before writing', async () => {
    const payment = await paid(3, 500);
    for (const amount of [0, -100, 1.5])
      await expect(refunds.request(payment, refund(`bad-${amount}`, amount), 'paid'), String(amount)).rejects.toThrow(
        /positive number of cents/,
      );
    expect(await payments.get(3)).not.toHaveProperty('refundRequested');
  });
});
