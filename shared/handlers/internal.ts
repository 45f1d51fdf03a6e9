import type { z } from 'zod';
import { lambdaHandler } from './lambda';

/** An internal function's Lambda (invoked by other services, never routed): the common middleware and a validated input. */
export function internalHandler<S extends z.ZodType, R>(schema: S, run: (input: z.infer<S>) => Promise<R>) {
  return lambdaHandler<unknown, R>().handler((event) => run(schema.parse(event)));
}
