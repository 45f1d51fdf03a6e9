import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouponRepository } from '../../functions/coupon/coupon-repository';
import { Barrier } from '../../shared/barrier';
import { localTable } from './local-table';

// The RestoreCoupon compensation against a real DynamoDB engine: a compensation that can never
// succeed would be retried forever by the saga, holding the order in `cancelling`.
let local: Awaited<ReturnType<typeof localTable>>;
let db: DynamoDBDocumentClient;
let coupons: CouponRepository;
let barrier: Barrier;
const TABLE = 'Coupons';

beforeAll(async () => {
  local = await localTable(TABLE);
  db = local.db;
  coupons = new CouponRepository(db, TABLE);
  barrier = new Barrier(db, TABLE);
});

afterAll(() => local?.stop());

const order = (couponId: number) => ({ uid: 7, orderId: 1000 + couponId, couponId, total: 5000 });
const issue = () => coupons.issue({ uid: 7, value: 300, minSpend: 0, validUntil: Math.floor(Date.now() / 1000) + 3600 });

describe('RestoreCoupon', () => {
  it('gives a used coupon back, once', async () => {
    const coupon = await issue();
    expect((await coupons.use(barrier, `g${coupon.id}`, order(coupon.id))).status).toBe('done');
    expect(await coupons.restore(barrier, `g${coupon.id}`, order(coupon.id))).toBe('compensated');
    expect(await coupons.restore(barrier, `g${coupon.id}`, order(coupon.id))).toBe('already-done');
    expect((await coupons.get(7, coupon.id))?.state).toBe('unused');
  });

  it('succeeds with nothing to give back when the coupon no longer exists', async () => {
    const coupon = await issue();
    expect((await coupons.use(barrier, `g${coupon.id}`, order(coupon.id))).status).toBe('done');
    await db.send(new DeleteCommand({ TableName: TABLE, Key: { pk: `USER#7`, sk: `COUPON#${coupon.id}` } }));
    expect(await coupons.restore(barrier, `g${coupon.id}`, order(coupon.id))).toBe('compensated');
    expect(await coupons.restore(barrier, `g${coupon.id}`, order(coupon.id))).toBe('already-done');
    expect(await coupons.get(7, coupon.id)).toBeUndefined();
  });

  it("gives the coupon back without its barrier, as the coupon's record names the order; another order's use is left alone", async () => {
    const coupon = await issue();
    const gid = `g${coupon.id}`;
    expect((await coupons.use(barrier, gid, order(coupon.id))).status).toBe('done');
    await db.send(new DeleteCommand({ TableName: TABLE, Key: { pk: `BARRIER#${gid}#coupon`, sk: 'action' } }));
    expect(await coupons.restore(barrier, 'g-other', { ...order(coupon.id), orderId: 1 })).toBe('empty');
    expect((await coupons.get(7, coupon.id))?.state).toBe('used');
    expect(await coupons.restore(barrier, gid, order(coupon.id))).toBe('compensated');
    expect(await coupons.restore(barrier, gid, order(coupon.id))).toBe('already-done');
    expect((await coupons.get(7, coupon.id))?.state).toBe('unused');
  });
});
