import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { z } from 'zod';
import type { Contract } from './events';
import { tracer } from './powertools';

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
