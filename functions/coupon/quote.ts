import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, tracer } from '../../shared/powertools';
import { quoteCoupon } from './coupon-service';
import { couponRepository } from './dependencies';
import { quoteRequest, type Quote } from './schemas';

const repo = couponRepository();

/** Internal, invoked by the order service to price an order: `{ uid, couponId }`. */
export const handler = middy<unknown, Quote>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .handler(async (event) => {
    const { uid, couponId } = quoteRequest.parse(event);
    return quoteCoupon(repo, uid, couponId);
  });
