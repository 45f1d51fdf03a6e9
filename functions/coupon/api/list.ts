import * as z from 'zod';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { listCoupons } from '../coupon-service';
import { couponRepository } from '../dependencies';

const repo = couponRepository();

export const handler = apiHandler(z.object({}), ({ caller }) => listCoupons(repo, requireCaller(caller).uid));
