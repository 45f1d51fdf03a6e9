import { apiHandler } from '../../../shared/handlers/api';
import { issueCoupon } from '../coupon-service';
import { couponRepository } from '../dependencies';
import { issueRequest } from '../schemas';

const repo = couponRepository();

/** An admin issues a coupon to a user (seed 003's coupon service). */
export const handler = apiHandler(issueRequest, ({ input }) => issueCoupon(repo, input));
