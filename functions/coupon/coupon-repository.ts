import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Barrier } from '../../shared/barrier';
import { IdAllocator } from '../../shared/ids';
import { queryRecords } from '../../shared/query-records';
import { recordOf } from '../../shared/records';
import type { CouponState, CouponView } from './schemas';

/**
 * The coupon table:
 *   USER#<uid> / COUPON#<id>   a coupon of that user (so a coupon is only ever found under its owner)
 *   BARRIER#<gid>#coupon / ... the saga's barriers
 *   COUNTER#coupon / COUNTER   ids
 */
const couponRecord = z.object({
  id: z.number(),
  uid: z.number(),
  value: z.number(),
  minSpend: z.number(),
  /**
   * Unix seconds. Not `expiresAt`: that is the table's TTL attribute, and DynamoDB would delete
   * the coupon, used ones included, once the time passed.
   */
  validUntil: z.number(),
  state: z.enum(['unused', 'used']),
  /** The order that used it. */
  orderId: z.number().optional(),
});
export type CouponRecord = z.infer<typeof couponRecord>;

const userPk = (uid: number) => `USER#${uid}`;
const couponKey = (uid: number, id: number) => ({ pk: userPk(uid), sk: `COUPON#${id}` });

export function stateOf(coupon: CouponRecord, nowSeconds = Math.floor(Date.now() / 1000)): CouponState {
  if (coupon.state === 'used') return 'used';
  return coupon.validUntil <= nowSeconds ? 'expired' : 'unused';
}

export function toView(c: CouponRecord): CouponView {
  return {
    id: c.id,
    uid: c.uid,
    value: c.value,
    min_spend: c.minSpend,
    expires_at: c.validUntil,
    state: stateOf(c),
    ...(c.orderId ? { order_id: c.orderId } : {}),
  };
}

export class CouponRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, { pk: 'COUNTER#coupon', sk: 'COUNTER' });
  }

  async issue(coupon: Omit<CouponRecord, 'id' | 'state'>): Promise<CouponRecord> {
    const record: CouponRecord = { ...coupon, id: await this.ids.nextId(), state: 'unused' };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...couponKey(record.uid, record.id), ...record, issuedAt: Date.now() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  async get(uid: number, id: number): Promise<CouponRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: couponKey(uid, id), ConsistentRead: true }));
    return out.Item ? recordOf(couponRecord, out.Item) : undefined;
  }

  async list(uid: number): Promise<CouponRecord[]> {
    const coupons = await queryRecords(this.db, couponRecord, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': userPk(uid), ':c': 'COUPON#' },
    });
    return coupons.sort((a, b) => b.id - a.id);
  }

  /** Marks the coupon used by the order, in one transaction with the saga's barrier. */
  use(barrier: Barrier, gid: string, order: { uid: number; orderId: number; couponId: number; total: number }) {
    return barrier.action(gid, 'coupon', { couponId: order.couponId }, [
      {
        Update: {
          TableName: this.table,
          Key: couponKey(order.uid, order.couponId),
          UpdateExpression: 'SET #state = :used, orderId = :order, usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #state = :unused AND validUntil > :nowSeconds AND minSpend <= :total',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':used': 'used',
            ':unused': 'unused',
            ':order': order.orderId,
            ':now': Date.now(),
            ':nowSeconds': Math.floor(Date.now() / 1000),
            ':total': order.total,
          },
        },
      },
    ]);
  }

  /**
   * Makes the coupon usable again, if this order's saga had used it. A coupon that is gone has
   * nothing to give back: the compensation then succeeds empty, rather than fail on every retry.
   * Without the barrier, the coupon's own record says whether this order used it.
   */
  restore(barrier: Barrier, gid: string, order: { uid: number; orderId: number; couponId?: number }) {
    const giveBack = async (couponId: number | undefined) => {
      const coupon = couponId === undefined ? undefined : await this.get(order.uid, couponId);
      if (!coupon || coupon.orderId !== order.orderId) return [];
      return [
        {
          Update: {
            TableName: this.table,
            Key: couponKey(order.uid, coupon.id),
            UpdateExpression: 'SET #state = :unused REMOVE orderId, usedAt',
            ConditionExpression: 'orderId = :order',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':unused': 'unused', ':order': order.orderId },
          },
        },
      ];
    };
    return barrier.compensate<{ couponId: number }>(
      gid,
      'coupon',
      ({ couponId }) => giveBack(couponId),
      () => giveBack(order.couponId),
    );
  }
}
