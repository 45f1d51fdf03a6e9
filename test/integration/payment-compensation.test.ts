import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { RefundRepository } from '../../functions/pay/refund-repository';
import { Barrier } from '../../shared/barrier';
import { localTables, tableSpec } from './local-tables';

// The saga's ClosePayment against a real DynamoDB engine.
let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let barrier: Barrier;
let refunds: RefundRepository;

beforeAll(async () => {
  tables = await localTables(tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]));
  payments = new PaymentRepository(tables.db, 'Payments');
  barrier = new Barrier(tables.db, 'Payments');
  refunds = new RefundRepository(tables.db, 'Payments');
}, 120_000);

afterAll(() => tables?.stop());

describe('ClosePayment', () => {
  it('closes an awaiting payment; one paid meanwhile is flagged and its refund asked for, and the compensation completes', async () => {
    const payment = (id: number) => ({ id, uid: 1, oid: id, amount: 100, source: 0, status: 'awaiting' as const, createdAt: Date.now() });
    await payments.create(barrier, 'order-1', payment(1));
    expect(await payments.close(barrier, 'order-1', 1, 'CANCELLED_BY_USER')).toEqual({ outcome: 'compensated' });
    expect(await payments.get(1)).toMatchObject({ status: 'closed' });

    await payments.create(barrier, 'order-2', payment(2));
    expect(await payments.markPaid(2, 100, 1)).toBe('paid'); // paid while its order's saga is being cancelled
    const refund = { paymentId: 2, refundId: 'order-2-close' };
    expect(await payments.close(barrier, 'order-2', 2, 'CANCELLED_BY_USER')).toEqual({ outcome: 'compensated', refund });
    expect(await payments.get(2)).toMatchObject({ status: 'paid', refundNeeded: true, refundRequested: 100 });
    expect(await refunds.get(2, 'order-2-close')).toMatchObject({ amount: 100, state: 'pending', reason: 'CANCELLED_BY_USER' });
    expect(await payments.close(barrier, 'order-2', 2, 'CANCELLED_BY_USER')).toEqual({ outcome: 'already-done', refund });
    expect(await refunds.forPayment(2)).toHaveLength(1);
  });

  it('refunds a paid payment whose barrier is gone (found by the order id), and closes an awaiting one', async () => {
    const payment = (id: number) => ({ id, uid: 1, oid: id, amount: 100, source: 0, status: 'awaiting' as const, createdAt: Date.now() });
    const forget = (gid: string) =>
      tables.db.send(new DeleteCommand({ TableName: 'Payments', Key: { pk: `BARRIER#${gid}#payment`, sk: 'action' } }));
    await payments.create(barrier, 'order-3', payment(3));
    expect(await payments.markPaid(3, 100, 1)).toBe('paid');
    await forget('order-3');
    const refund = { paymentId: 3, refundId: 'order-3-close' };
    expect(await payments.close(barrier, 'order-3', 3, 'CANCELLED_BY_USER')).toEqual({ outcome: 'compensated', refund });
    expect(await refunds.get(3, 'order-3-close')).toMatchObject({ amount: 100, state: 'pending' });
    expect(await payments.close(barrier, 'order-3', 3, 'CANCELLED_BY_USER')).toEqual({ outcome: 'already-done', refund });
    expect(await refunds.forPayment(3)).toHaveLength(1);

    await payments.create(barrier, 'order-4', payment(4));
    await forget('order-4');
    expect(await payments.close(barrier, 'order-4', 4, 'PAYMENT_TIMEOUT')).toEqual({ outcome: 'compensated' });
    expect(await payments.get(4)).toMatchObject({ status: 'closed' });
  });
});

describe('refund records', () => {
  const paid = async (id: number) => {
    await payments.createForOrder({ id, uid: 1, oid: id, amount: 100, source: 0, status: 'awaiting', createdAt: Date.now() });
    await payments.markPaid(id, 100, 1);
    return (await payments.get(id))!;
  };

  it('never asks back more than was paid, even when asked at once', async () => {
    const payment = await paid(10);
    const asked = await Promise.all(
      ['a', 'b', 'c', 'd'].map((r) =>
        refunds.request(payment, { refundId: r, amount: 60, reason: 'TEST' }, 'paid').catch(() => 'conflict'),
      ),
    );
    expect(asked.filter((a) => a === 'requested')).toHaveLength(1);
    expect((await payments.get(10))?.refundRequested).toBe(60);
    expect(await refunds.request(payment, { refundId: 'e', amount: 41, reason: 'TEST' }, 'paid')).toBe('refused');
    expect(await refunds.request(payment, { refundId: 'f', amount: 40, reason: 'TEST' }, 'paid')).toBe('requested');
    expect(await refunds.request(payment, { refundId: 'f', amount: 40, reason: 'TEST' }, 'paid')).toBe('exists');
    expect((await payments.get(10))?.refundRequested).toBe(100);
  });

  it('completes a refund once, with the reference', async () => {
    const payment = await paid(11);
    await refunds.request(payment, { refundId: 'r', amount: 100, reason: 'TEST' }, 'paid');
    const refund = (await refunds.get(11, 'r'))!;
    expect(await refunds.complete(refund, 'ref-1')).toBe('completed');
    expect(await refunds.complete(refund, 'ref-2')).toBe('already');
    expect(await refunds.get(11, 'r')).toMatchObject({ state: 'succeeded', reference: 'ref-1', eventPending: true });
    expect((await payments.get(11))?.refunded).toBe(100);
  });

  it('a success after the payment closed is flagged and its refund asked for, once', async () => {
    await payments.createForOrder({ id: 12, uid: 1, oid: 12, amount: 100, source: 0, status: 'awaiting', createdAt: Date.now() });
    expect(await payments.closeForOrder(12)).toEqual({ outcome: 'closed' });
    expect(await payments.markPaid(12, 100, 1)).toBe('refund-needed');
    expect(await payments.markPaid(12, 100, 1)).toBe('refund-needed');
    expect(await payments.get(12)).toMatchObject({ status: 'closed', refundNeeded: true, refundRequested: 100 });
    expect(await refunds.forPayment(12)).toMatchObject([{ refundId: 'late-pay-12', amount: 100, reason: 'LATE_PAYMENT' }]);
  });
});
