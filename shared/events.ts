import * as z from 'zod';

/**
 * The mall's domain events, in one place: each contract has its source, detail-type, version
 * and schema. Producers validate before publishing and consumers validate what they receive.
 */
export const paymentSucceeded = {
  source: 'mall.pay',
  detailType: 'PaymentSucceeded',
  version: 1,
  schema: z.object({
    version: z.literal(1),
    paymentId: z.number().int().positive(),
    orderId: z.number().int().positive(),
    uid: z.number().int().positive(),
    amount: z.number().int().min(0),
    /** Unix milliseconds. */
    paidAt: z.number().int(),
    /** The request that caused it, so logs follow it into the consumers. */
    correlationId: z.string().optional(),
  }),
} as const;

export type PaymentSucceeded = z.infer<typeof paymentSucceeded.schema>;

export type Contract<S extends z.ZodType> = { source: string; detailType: string; schema: S };

/** Reads a delivered event's detail, refusing one that does not match the contract. */
export function received<S extends z.ZodType>(contract: Contract<S>, event: unknown): z.infer<S> {
  const envelope = z
    .object({ source: z.literal(contract.source), 'detail-type': z.literal(contract.detailType), detail: z.unknown() })
    .parse(event);
  return contract.schema.parse(envelope.detail);
}
