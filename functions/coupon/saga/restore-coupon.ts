import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { restoreCoupon } from '../coupon-service';
import { couponBarrier, couponRepository } from '../dependencies';

const repo = couponRepository();
const barrier = couponBarrier();

export const handler = sagaStep('RestoreCoupon', (input) => restoreCoupon(repo, barrier, gidOf(input), input), { compensation: true });
