import * as z from 'zod';

/**
 * The order saga's contract, shared by the order service (which starts it) and every
 * participant (which run its steps). It stands in for DTM's protocol: a step answers SUCCESS,
 * or FAILURE with a reason (a business refusal: compensate, never retry); anything it throws
 * is transient and the state machine retries it with backoff until the participant is back.
 */
export const sagaInput = z.object({
  orderId: z.number().int().positive(),
  uid: z.number().int().positive(),
  items: z.array(z.object({ pid: z.number().int().positive(), num: z.number().int().positive(), price: z.number().int().min(0) })).min(1),
  /** Sum of price x num, before the coupon. */
  total: z.number().int().min(0),
  /** What the customer pays. */
  amount: z.number().int().min(0),
  couponId: z.number().int().positive().optional(),
  fromCart: z.boolean().default(false),
  /** An item is in the flash sale: the order gets the flash sale's shorter payment window. */
  flashSale: z.boolean().optional(),
  /** "create" runs the saga; "cancel" runs only its compensations (user cancel, timeout, repair). */
  action: z.enum(['create', 'cancel']).default('create'),
  /** Why a cancel run cancels. */
  reason: z.string().optional(),
  /**
   * A cancel run of an order every action of which ran (it got as far as awaiting payment): a
   * compensation that finds no barrier must not pass as empty (Barrier.compensate's withoutBarrier).
   */
  placed: z.boolean().optional(),
  /** A cancel run refunds at most this many cents of a paid payment (an approved return's amount); all that is left without it. */
  refundAmount: z.number().int().min(0).optional(),
  /** The API request that started it, for logs and traces across the saga. */
  correlationId: z.string().optional(),
});
export type SagaInput = z.infer<typeof sagaInput>;

export type StepOutcome = { outcome: 'SUCCESS'; [key: string]: unknown } | { outcome: 'FAILURE'; reason: string };

export const success = (extra: Record<string, unknown> = {}): StepOutcome => ({ outcome: 'SUCCESS', ...extra });
export const failure = (reason: string): StepOutcome => ({ outcome: 'FAILURE', reason });

/** The barrier's global transaction id for an order's saga. */
export const gidOf = (input: { orderId: number }) => `order-${input.orderId}`;
