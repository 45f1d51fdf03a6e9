import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';

/**
 * A stored item as the record its schema describes: the schema's fields, checked, and nothing
 * else (keys, index attributes and barrier data are dropped, as zod objects strip unknown keys).
 * The one way repositories turn items into records.
 */
export function recordOf<S extends z.ZodType>(schema: S, item: Record<string, NativeAttributeValue>): z.infer<S> {
  const parsed = schema.safeParse(item);
  if (!parsed.success)
    throw new Error(
      `a stored item does not match its record: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
