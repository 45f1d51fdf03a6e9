import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { logger } from '../../shared/powertools';
import type { OrderSummary } from './client';
import { orderRepository } from './dependencies';

const orders = orderRepository();

/** Internal, invoked by the payment service: an order's owner, amount and state. */
export const handler = middy<unknown, OrderSummary | null>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const order = await orders.get(z.object({ id: z.number().int().positive() }).parse(event).id);
    return order ? { id: order.id, uid: order.uid, amount: order.amount, state: order.state } : null;
  });
