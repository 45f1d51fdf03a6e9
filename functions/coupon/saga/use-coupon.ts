import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { useCoupon } from '../coupon-service';
import { couponBarrier, couponRepository } from '../dependencies';

const repo = couponRepository();
const barrier = couponBarrier();

export const handler = sagaStep('UseCoupon', (input) => useCoupon(repo, barrier, gidOf(input), input));
