import { invokeFunction } from '../../shared/invoke';
import type { Quote } from './schemas';

/** How the order service prices a coupon: the coupon service's internal quote function. */
export interface CouponQuotes {
  quote(uid: number, couponId: number): Promise<Quote>;
}

export function couponQuoteFunction(functionName: string): CouponQuotes {
  return { quote: (uid, couponId) => invokeFunction<Quote>(functionName, { uid, couponId }) };
}
