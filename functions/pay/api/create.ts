import { requireEnv } from '../../../shared/env';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderGetFunction } from '../../order/client';
import { paymentRepository } from '../dependencies';
import { createPayment } from '../pay-service';
import { createRequest } from '../schemas';

const repo = paymentRepository();
const orders = orderGetFunction(requireEnv('ORDER_GET_FUNCTION'));

export const handler = apiHandler(createRequest, ({ input, caller }) => createPayment(repo, orders, requireCaller(caller), input));
