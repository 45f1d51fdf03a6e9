import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { paymentSucceeded, received } from '../../shared/events';
import { logger, tracer } from '../../shared/powertools';
import { gidOf } from '../../shared/saga';
import { catalog } from './dependencies';

const repo = catalog();

/** Consumer of PaymentSucceeded: the reserved stock is sold, and counts toward the product's sales. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .handler(async (event: unknown) => {
    const payment = received(paymentSucceeded, event);
    logger.appendKeys({ orderId: payment.orderId, ...(payment.correlationId ? { correlation_id: payment.correlationId } : {}) });
    const outcome = await repo.confirmSale(gidOf({ orderId: payment.orderId }));
    logger.info('stock confirmed', { orderId: payment.orderId, outcome });
    return { outcome };
  });
