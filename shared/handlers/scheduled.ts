import type { Context } from 'aws-lambda';
import { logger } from '../powertools';
import { lambdaHandler } from './lambda';

/**
 * A scheduled function's Lambda (an EventBridge schedule's target): the common middleware, and
 * `run` given the schedule's time as "now" (the local cloud's tests fire it with a later time)
 * and a deadline a few seconds before the invocation's timeout, by which it stops and leaves
 * the rest to the next run. Its result is logged.
 */
export function scheduledHandler<R extends Record<string, unknown>>(name: string, run: (now: number, stopAt: number) => Promise<R>) {
  return lambdaHandler<{ time?: string } | undefined, R>().handler(async (event, context: Context) => {
    const now = event?.time ? Date.parse(event.time) : Date.now();
    const stopAt = Date.now() + context.getRemainingTimeInMillis() - 5_000;
    const result = await run(now, stopAt);
    logger.info(name, result);
    return result;
  });
}
