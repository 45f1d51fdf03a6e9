import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { requireEnv, requireIntEnv } from '../../shared/env';
import { logger } from '../../shared/powertools';
import { paymentCloseFunction } from '../pay/client';
import { orderRepository, sagaRunner } from './dependencies';
import { closeUnpaidOrders, sweepOpenOrders } from './order-service';

const orders = orderRepository();
const saga = sagaRunner();
const payments = paymentCloseFunction(requireEnv('PAY_CLOSE_FUNCTION'));
const boundMs = requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000;

/**
 * Scheduled: closes orders not paid in time, and drives orders whose saga ended abnormally (or
 * never ran) to a terminal state.
 */
export const handler = middy<{ time?: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    // The scheduled event's time is "now": the local cloud's tests fire it with a later time.
    const now = event?.time ? Date.parse(event.time) : Date.now();
    const result = { ...(await closeUnpaidOrders(orders, payments, saga, now)), ...(await sweepOpenOrders(orders, saga, boundMs, now)) };
    logger.info('swept orders', result);
    return result;
  });
