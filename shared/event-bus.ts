import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { z } from 'zod';
import { type Contract, received } from './events';
import { logger, tracer } from './powertools';

let client: EventBridgeClient | undefined;

/** Publishes one event to the mall's bus (EVENT_BUS_NAME); throws if EventBridge did not take it. */
export async function publish<S extends z.ZodType>(contract: Contract<S>, detail: z.infer<S>, busName: string): Promise<void> {
  client ??= tracer.captureAWSv3Client(new EventBridgeClient({}));
  const valid = contract.schema.parse(detail);
  const out = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName,
          Source: contract.source,
          DetailType: contract.detailType,
          Detail: JSON.stringify(valid),
          // The callback's X-Ray trace continues into the consumers.
          ...(process.env._X_AMZN_TRACE_ID ? { TraceHeader: process.env._X_AMZN_TRACE_ID } : {}),
        },
      ],
    }),
  );
  if (out.FailedEntryCount) throw new Error(`EventBridge refused ${contract.detailType}: ${JSON.stringify(out.Entries)}`);
}

/**
 * An event consumer's Lambda: powertools, the event validated against its contract, and the
 * order and correlation ids in every log line. Whatever it throws makes EventBridge retry.
 */
export function eventConsumer<S extends z.ZodType>(contract: Contract<S>, consume: (detail: z.infer<S>) => Promise<unknown>) {
  return middy()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .handler(async (event: unknown) => {
      const detail = received(contract, event);
      const { orderId, correlationId } = detail as { orderId?: number; correlationId?: string };
      logger.appendKeys({ ...(orderId ? { orderId } : {}), ...(correlationId ? { correlation_id: correlationId } : {}) });
      const outcome = await consume(detail);
      logger.info(`${contract.detailType} consumed`, { outcome });
      return { outcome };
    });
}
