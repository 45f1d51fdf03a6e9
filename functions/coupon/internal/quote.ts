import { internalHandler } from '../../../shared/handlers/internal';
import { quoteCoupon } from '../coupon-service';
import { couponRepository } from '../dependencies';
import { quoteRequest } from '../schemas';

const repo = couponRepository();

/** Internal, invoked by the order service to price an order: `{ uid, couponId }`. */
export const handler = internalHandler(quoteRequest, ({ uid, couponId }) => quoteCoupon(repo, uid, couponId));
