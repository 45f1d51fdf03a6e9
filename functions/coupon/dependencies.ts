import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { CouponRepository } from './coupon-repository';

const table = () => requireEnv('COUPON_TABLE');
export const couponRepository = () => new CouponRepository(dynamo, table());
export const couponBarrier = () => new Barrier(dynamo, table());
