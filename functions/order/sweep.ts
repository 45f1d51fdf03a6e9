import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { requireIntEnv } from '../../shared/env';
import { logger } from '../../shared/powertools';
import { orderRepository, sagaRunner } from './dependencies';
import { sweepOpenOrders } from './order-service';

const orders = orderRepository();
const saga = sagaRunner();
const boundMs = requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000;

/** Scheduled: drives orders whose saga ended abnormally (or never ran) to a terminal state. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const result = await sweepOpenOrders(orders, saga, boundMs);
    logger.info('swept open orders', result);
    return result;
  });
