import type { z } from 'zod';
import { type Contract, received } from '../events';
import { logger } from '../powertools';
import { lambdaHandler } from './lambda';

/**
 * An event consumer's Lambda (an EventBridge rule's target): the common middleware, the event
 * validated against its contract, and the order and correlation ids in every log line.
 * Whatever it throws makes EventBridge retry.
 */
export function eventConsumer<S extends z.ZodType>(contract: Contract<S>, consume: (detail: z.infer<S>) => Promise<unknown>) {
  return lambdaHandler<unknown, { outcome: unknown }>().handler(async (event) => {
    const detail = received(contract, event);
    const { orderId, correlationId } = detail as { orderId?: number; correlationId?: string };
    logger.appendKeys({ ...(orderId ? { orderId } : {}), ...(correlationId ? { correlation_id: correlationId } : {}) });
    const outcome = await consume(detail);
    logger.info(`${contract.detailType} consumed`, { outcome });
    return { outcome };
  });
}
