import { requireEnv, requireIntEnv } from '../../../shared/env';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderGetFunction } from '../../order/client';
import { paymentRepository } from '../dependencies';
import { createPayment } from '../pay-service';
import { createRequest } from '../schemas';

const repo = paymentRepository();
const orders = orderGetFunction(requireEnv('ORDER_GET_FUNCTION'));
/** How long to wait for an order still being placed (stage config payOrderWaitMs). */
const waitMs = requireIntEnv('PAY_ORDER_WAIT_MS');

export const handler = apiHandler(createRequest, ({ input, caller }) => createPayment(repo, orders, requireCaller(caller), input, waitMs));
