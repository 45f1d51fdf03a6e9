import type { Barrier } from '../../shared/barrier';
import { failure, type SagaInput, type StepOutcome, success } from '../../shared/saga';
import { type CouponRepository, stateOf, toView } from './coupon-repository';
import type { Quote } from './schemas';

export async function issueCoupon(repo: CouponRepository, input: { uid: number; value: number; min_spend: number; expires_at: number }) {
  const coupon = await repo.issue({ uid: input.uid, value: input.value, minSpend: input.min_spend, validUntil: input.expires_at });
  return toView(coupon);
}

export async function listCoupons(repo: CouponRepository, uid: number) {
  return { coupons: (await repo.list(uid)).map(toView) };
}

/** For the order service's pricing: only the owner's coupon is found. */
export async function quoteCoupon(repo: CouponRepository, uid: number, couponId: number): Promise<Quote> {
  const coupon = await repo.get(uid, couponId);
  return coupon ? { found: true, value: coupon.value, min_spend: coupon.minSpend, state: stateOf(coupon) } : { found: false };
}

/** Saga step UseCoupon: a coupon is used at most once, ever, and only by its owner. */
export async function useCoupon(repo: CouponRepository, barrier: Barrier, gid: string, input: SagaInput): Promise<StepOutcome> {
  if (!input.couponId) return success();
  const order = { uid: input.uid, orderId: input.orderId, couponId: input.couponId, total: input.total };
  const result = await repo.use(barrier, gid, order);
  if (result.status === 'done') return success();
  if (result.status === 'blocked') return failure('ALREADY_CANCELLED');
  const coupon = await repo.get(input.uid, input.couponId);
  if (!coupon) return failure('COUPON_INVALID');
  if (coupon.state === 'used') return failure('COUPON_USED');
  if (stateOf(coupon) === 'expired') return failure('COUPON_EXPIRED');
  if (coupon.minSpend > input.total) return failure('COUPON_MIN_SPEND_NOT_MET');
  throw new Error(`coupon ${input.couponId} was refused for no known reason`); // raced a change: retry
}

/** Compensation RestoreCoupon: empty if UseCoupon never ran. */
export async function restoreCoupon(repo: CouponRepository, barrier: Barrier, gid: string, input: SagaInput): Promise<StepOutcome> {
  await repo.restore(barrier, gid, { uid: input.uid, orderId: input.orderId, couponId: input.couponId });
  return success();
}
