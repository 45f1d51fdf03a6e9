import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../shared/powertools';
import type { CloseOutcome } from './payment-repository';
import { paymentRepository } from './dependencies';
import { closeForOrderRequest } from './schemas';

const repo = paymentRepository();

/** Internal, invoked by the order service before it closes an unpaid or cancelled order. */
export const handler = middy<unknown, { outcome: CloseOutcome }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => ({ outcome: await repo.closeForOrder(closeForOrderRequest.parse(event).orderId) }));
