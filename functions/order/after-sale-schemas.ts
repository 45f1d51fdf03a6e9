import * as z from 'zod';

// The wire format of after-sale (issue 12; go-zero-mall's planned afterSale service): a buyer asks
// for a refund of a received order within the return window, an admin approves or rejects it.

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const int = z.number().int();

/**
 * An after-sale request's own state: `requested` (waiting for an admin; the order is
 * `after_sale`), `approved` (the refund is asked for, and with goods returned the order is
 * undone like a cancel) or `rejected` (the order is `received` again). One per order.
 */
export const AFTER_SALE_STATES = ['requested', 'approved', 'rejected'] as const;

/** POST /api/order/refund: the buyer's own received order, within the return window. */
export const refundRequest = z.object({
  id,
  /** Why: shown to the admin who decides. Kept on the order only, not sent to the payment provider. */
  reason: z.string().trim().min(1).max(200),
  /** Cents to refund: at most what was paid and not yet refunded, which is the default. */
  amount: int.min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** POST /api/order/refund/approve (admin). */
export const approveRequest = z.object({
  id,
  /**
   * The goods came back: the order is undone like a cancel (refund, stock and sale back, coupon
   * back) and ends `cancelled` with reason RETURNED. Otherwise only the refund is made and the
   * order goes on to `completed`.
   */
  goods_returned: z.boolean(),
});

/** POST /api/order/refund/reject (admin): the buyer sees the note. */
export const rejectRequest = z.object({ id, note: z.string().trim().min(1).max(200) });

/** An order's `after_sale` on the wire, once one was asked for; times in Unix seconds. */
export const afterSaleView = z.strictObject({
  state: z.enum(AFTER_SALE_STATES),
  reason: z.string(),
  amount: int,
  goods_returned: z.boolean().optional(),
  note: z.string().optional(),
  requested_at: int,
  decided_at: int.optional(),
});
export type AfterSaleView = z.infer<typeof afterSaleView>;
