import * as z from 'zod';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** go-zero-mall's pay create: `{uid, oid, amount}`; `uid`, if sent, must be the caller. */
export const createRequest = z.object({ uid: id.optional(), oid: id, amount: z.number().int().min(0) });
export const detailRequest = z.object({ id });

/** The provider's callback: go-zero-mall's `{id, uid, oid, amount, source, status}`; status 1 means paid. */
export const callbackRequest = z.object({
  id,
  uid: id,
  oid: id,
  amount: z.number().int().min(0),
  source: z.number().int().min(0).max(100).default(0),
  status: z.number().int(),
});
export type CallbackRequest = z.infer<typeof callbackRequest>;
export const PROVIDER_PAID = 1;

export type PaymentState = 'awaiting' | 'paid' | 'closed' | 'refund_needed' | 'refunded';
/**
 * go-zero-mall's numeric status: 0 awaiting payment, 1 paid (the provider's PROVIDER_PAID, as
 * go-zero-mall stores the callback's status); ours: 2 paid after its order was closed (the money
 * must be refunded, or paid and its order cancelled: being refunded), 3 refunded in full, 9
 * closed unpaid (like an invalid order).
 */
export const PAY_STATUS: Record<PaymentState, number> = { awaiting: 0, paid: PROVIDER_PAID, refund_needed: 2, refunded: 3, closed: 9 };

/** A refund of the payment, as pay/detail shows it. */
export interface RefundView {
  /** The refund's idempotency id (e.g. order-12-close: the cancel of order 12; late-pay-7: payment 7 arrived after its order closed). */
  id: string;
  amount: number;
  /** CANCELLED_BY_USER, LATE_PAYMENT, ... */
  reason: string;
  /** pending until the provider confirms it. */
  state: 'pending' | 'succeeded';
  /** The provider's reference. */
  reference?: string;
  create_time: number;
  refund_time?: number;
}

export interface PaymentView {
  id: number;
  uid: number;
  oid: number;
  amount: number;
  source: number;
  status: number;
  state: PaymentState;
  /** Cents the provider has refunded, once a refund was asked for. */
  refunded_amount?: number;
  /** pay/detail only. */
  refunds?: RefundView[];
}

/** Internal: the order service asks to close an order's payment before closing the order. */
export const closeForOrderRequest = z.object({ orderId: id });

/** Internal: the order service's after-sale asks for a refund of an order's payment (refund-service.ts refundForOrder). */
export const refundForOrderRequest = z.object({
  orderId: id,
  /** The refund's idempotency id, e.g. return-12. */
  refundId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  amount: z.number().int().min(1),
  /** A code, e.g. AFTER_SALE: it goes to the refund record, the Refunded event and the provider. */
  reason: z.string().regex(/^[A-Z_]{1,40}$/),
});

// Replies (the 200 bodies): exactly these fields.

export const createPaymentResponse = z.strictObject({ id });
export const paymentResponse = z.strictObject({
  id,
  uid: id,
  oid: id,
  amount: z.number().int(),
  source: z.number().int(),
  status: z.number().int(),
  state: z.enum(['awaiting', 'paid', 'closed', 'refund_needed', 'refunded']),
  refunded_amount: z.number().int().min(0).optional(),
  refunds: z
    .array(
      z.strictObject({
        id: z.string(),
        amount: z.number().int(),
        reason: z.string(),
        state: z.enum(['pending', 'succeeded']),
        reference: z.string().optional(),
        create_time: z.number().int(),
        refund_time: z.number().int().optional(),
      }),
    )
    .optional(),
}) satisfies z.ZodType<PaymentView>;

/** The refund id as refunds are asked for: e.g. order-12-close, late-pay-7, return-12. */
const refundId = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** GET /api/pay/refunds/flagged (admin): no input. */
export const flaggedRefundsRequest = z.object({});

/** Refunds the relay gave up on after the retry bound, oldest first: still owed (pending, or its Refunded event not yet published). */
export const flaggedRefundsResponse = z.strictObject({
  refunds: z.array(
    z.strictObject({
      payment_id: id,
      refund_id: z.string(),
      oid: id,
      uid: id,
      amount: z.number().int(),
      reason: z.string(),
      state: z.enum(['pending', 'succeeded']),
      /** Relay runs that failed. */
      attempts: z.number().int(),
      /** The latest failure. */
      last_error: z.string().optional(),
      /** Unix seconds. */
      create_time: z.number().int(),
      flag_time: z.number().int(),
    }),
  ),
});

/** POST /api/pay/refunds/requeue (admin): a flagged refund, to be tried again by the relay. */
export const requeueRefundRequest = z.object({ payment_id: id, refund_id: refundId });
export const requeueRefundResponse = z.strictObject({ payment_id: id, refund_id: z.string(), state: z.literal('requeued') });
