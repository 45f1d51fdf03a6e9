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

/** A refund reached the buyer: the provider confirmed it (functions/pay/refund-service.ts). */
export const refunded = {
  source: 'mall.pay',
  detailType: 'Refunded',
  version: 1,
  schema: z.object({
    version: z.literal(1),
    /** The refund's idempotency id, derived from what asked for it (e.g. `order-12-close`). */
    refundId: z.string().min(1).max(100),
    paymentId: z.number().int().positive(),
    orderId: z.number().int().positive(),
    uid: z.number().int().positive(),
    /** This refund, in cents. */
    amount: z.number().int().positive(),
    /** Everything refunded on the payment so far, this refund included (never more than it paid). */
    refundedTotal: z.number().int().positive(),
    /** What the payment was. */
    paymentAmount: z.number().int().min(0),
    /** Why: CANCELLED_BY_USER, LATE_PAYMENT, ... */
    reason: z.string(),
    /** The provider's reference of the refund. */
    reference: z.string(),
    /** Unix milliseconds. */
    refundedAt: z.number().int(),
  }),
} as const;

export type Refunded = z.infer<typeof refunded.schema>;

export type Contract<S extends z.ZodType> = { source: string; detailType: string; schema: S };

/** Reads a delivered event's detail, refusing one that does not match the contract. */
export function received<S extends z.ZodType>(contract: Contract<S>, event: unknown): z.infer<S> {
  const envelope = z
    .object({ source: z.literal(contract.source), 'detail-type': z.literal(contract.detailType), detail: z.unknown() })
    .parse(event);
  return contract.schema.parse(envelope.detail);
}
