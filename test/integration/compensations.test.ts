import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouponRepository } from '../../functions/coupon/coupon-repository';
import { PaymentRepository } from '../../functions/pay/payment-repository';
import { Barrier } from '../../shared/barrier';
import { localTables, tableSpec } from './local-tables';

// Compensations that could never succeed as first written, against a real DynamoDB engine.
let tables: Awaited<ReturnType<typeof localTables>>;
let payments: PaymentRepository;
let barrier: Barrier;

beforeAll(async () => {
  tables = await localTables(tableSpec('Payments', [['ByOutbox', 'outboxPk', 'outboxAt']]), tableSpec('Coupons'));
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

describe('RestoreCoupon', () => {
  it('restores a used coupon; a coupon that no longer exists is an empty compensation, not a failure forever', async () => {
    const coupons = new CouponRepository(tables.db, 'Coupons');
    const couponBarrier = new Barrier(tables.db, 'Coupons');
    const issue = () => coupons.issue({ uid: 5, value: 100, minSpend: 0, validUntil: Math.floor(Date.now() / 1000) + 3600 });
    const use = (couponId: number, orderId: number) =>
      coupons.use(couponBarrier, `order-${orderId}`, { uid: 5, orderId, couponId, total: 500 });

    const kept = await issue();
    expect((await use(kept.id, 11)).status).toBe('done');
    expect(await coupons.restore(couponBarrier, 'order-11', { uid: 5, orderId: 11 })).toBe('compensated');
    expect(await coupons.get(5, kept.id)).toMatchObject({ state: 'unused' });

    const gone = await issue();
    expect((await use(gone.id, 12)).status).toBe('done');
    await tables.db.send(new DeleteCommand({ TableName: 'Coupons', Key: { pk: 'USER#5', sk: `COUPON#${gone.id}` } }));
    expect(await coupons.restore(couponBarrier, 'order-12', { uid: 5, orderId: 12 })).toBe('compensated');
    expect(await coupons.get(5, gone.id)).toBeUndefined(); // nothing made up
  });
});
