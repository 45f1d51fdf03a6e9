import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { Barrier } from '../../shared/barrier';
import { localTables, tableSpec } from './local-tables';

// The saga's ClosePayment against a real DynamoDB engine.
let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let barrier: Barrier;

beforeAll(async () => {
  tables = await localTables(tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]));
  payments = new PaymentRepository(tables.db, 'Payments');
  barrier = new Barrier(tables.db, 'Payments');
}, 120_000);

afterAll(() => tables?.stop());

describe('ClosePayment', () => {
  it('closes an awaiting payment; one paid meanwhile is flagged for refund and the compensation completes', async () => {
    const payment = (id: number) => ({ id, uid: 1, oid: id, amount: 100, source: 0, status: 'awaiting' as const, createdAt: Date.now() });
    await payments.create(barrier, 'order-1', payment(1));
    expect(await payments.close(barrier, 'order-1')).toBe('compensated');
    expect(await payments.get(1)).toMatchObject({ status: 'closed' });

    await payments.create(barrier, 'order-2', payment(2));
    expect(await payments.markPaid(2, 100, 1)).toBe('paid'); // paid while its order's saga is being cancelled
    expect(await payments.close(barrier, 'order-2')).toBe('compensated');
    expect(await payments.get(2)).toMatchObject({ status: 'paid', refundNeeded: true });
    expect(await payments.close(barrier, 'order-2')).toBe('already-done');
  });
});
