import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { paymentSucceeded, received } from '../../shared/events';
import { logger, tracer } from '../../shared/powertools';
import { orderRepository } from './dependencies';
import { markPaid } from './order-service';

const orders = orderRepository();

/** Consumer of PaymentSucceeded (seed 004's payment-done broadcast): the order is paid. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .handler(async (event: unknown) => {
    const payment = received(paymentSucceeded, event);
    logger.appendKeys({ orderId: payment.orderId, ...(payment.correlationId ? { correlation_id: payment.correlationId } : {}) });
    const outcome = await markPaid(orders, payment.orderId, payment.paymentId, payment.paidAt);
    logger.info('payment applied to order', { orderId: payment.orderId, outcome });
    return { outcome };
  });
