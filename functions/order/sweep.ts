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
export const handler = middy<{ time?: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: { time?: string }) => {
    // The scheduled event's time is "now": the local cloud's tests fire it with a later time.
    const now = event?.time ? Date.parse(event.time) : Date.now();
    const result = await sweepOpenOrders(orders, saga, boundMs, now);
    logger.info('swept open orders', result);
    return result;
  });
