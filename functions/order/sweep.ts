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
  .handler(async (event, context) => {
    // The scheduled event's time is "now": the local cloud's tests fire it with a later time.
    const now = event?.time ? Date.parse(event.time) : Date.now();
    // Work is bounded by the invocation's time; what is left waits for the next run. Stuck
    // sagas first: there are few, while a busy shop may have many unpaid orders to close.
    const stopAt = Date.now() + context.getRemainingTimeInMillis() - 5_000;
    const repaired = await sweepOpenOrders(orders, saga, boundMs, now, stopAt);
    const result = { ...repaired, ...(await closeUnpaidOrders(orders, payments, saga, now, stopAt)) };
    logger.info('swept orders', result);
    return result;
  });
