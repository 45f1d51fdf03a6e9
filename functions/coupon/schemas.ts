import * as z from 'zod';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const issueRequest = z.object({
  /** The user the coupon is for. */
  uid: id,
  /** Discount, in the smallest currency unit. */
  value: z.number().int().min(1).max(100_000_000),
  /** The order total (before the coupon) must be at least this. */
  min_spend: z.number().int().min(0).max(1_000_000_000).default(0),
  /** Unix seconds. */
  expires_at: z.number().int().positive().max(32_503_680_000),
});

export type CouponState = 'unused' | 'used' | 'expired';

export interface CouponView {
  id: number;
  uid: number;
  value: number;
  min_spend: number;
  expires_at: number;
  state: CouponState;
  /** The order that used it. */
  order_id?: number;
}

/** Internal: what an order needs to price a coupon. */
export const quoteRequest = z.object({ uid: id, couponId: id });
export type Quote = { found: false } | { found: true; value: number; min_spend: number; state: CouponState };

// Replies (the 200 bodies): exactly these fields.

const amount = z.number().int();
export const couponResponse = z.strictObject({
  id,
  uid: id,
  value: amount,
  min_spend: amount,
  expires_at: amount,
  state: z.enum(['unused', 'used', 'expired']),
  order_id: id.optional(),
}) satisfies z.ZodType<CouponView>;
export const couponsResponse = z.strictObject({ coupons: z.array(couponResponse) });
