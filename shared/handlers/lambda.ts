import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from '../powertools';

/**
 * The middleware every function starts with, whatever triggers it: the Lambda context in each
 * log line (keys reset per invocation), an X-Ray subsegment for the handler, and the metrics it
 * added flushed as EMF at the end, with a ColdStart metric on the first invocation.
 * The wrappers beside this file (api, saga-step, event-consumer, internal, scheduled) add what
 * their trigger needs.
 */
export function lambdaHandler<Event, Result>(options: { timeoutEarlyInMillis?: number } = {}) {
  return middy<Event, Result>(options)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
