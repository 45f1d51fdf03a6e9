import * as z from 'zod';
import { type AfterSaleView, afterSaleView } from './after-sale-schemas';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const num = z.number().int().min(1).max(999);
export const MAX_ITEMS = 20;

/**
 * go-zero-mall's `{uid, pid, amount, status}`, plus `num`, `couponId` (seed 003) and `items` for
 * a cart checkout. `uid`, if sent, must be the caller; `amount`, if sent, must equal what the
 * server computes; `status` is accepted for compatibility and ignored (a new order is pending).
 */
export const createRequest = z
  .object({
    uid: id.optional(),
    pid: id.optional(),
    num: num.optional(),
    items: z
      .array(z.object({ pid: id, num: num.default(1) }))
      .min(1)
      .max(MAX_ITEMS)
      .optional(),
    amount: z.number().int().min(0).optional(),
    status: z.number().int().optional(),
    couponId: id.optional(),
    /** The items come from the cart: they leave it when the order succeeds. */
    fromCart: z.boolean().default(false),
    /** One of the caller's addresses (issue 12); without it the order copies their default address, if any. */
    address_id: id.optional(),
  })
  .refine((o) => (o.pid === undefined) !== (o.items === undefined), { message: 'give either pid (and num) or items', path: ['pid'] })
  .refine((o) => o.items === undefined || o.num === undefined, { message: 'num goes inside items', path: ['num'] });
export type CreateRequest = z.infer<typeof createRequest>;

export const idRequest = z.object({ id });

export const listRequest = z.object({
  /** Admins may list another user's orders; others only ever see their own. */
  uid: id.optional(),
  /** The `cursor` of the last order of the previous page; 0 or absent for the first page. */
  cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  ps: z
    .unknown()
    .optional()
    .transform((raw) => (Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= 50 ? (raw as number) : 20)),
});

export const updateRequest = z.object({
  id,
  uid: id.optional(),
  pid: id.optional(),
  amount: z.number().int().min(0).optional(),
  status: z.number().int().optional(),
  remark: z.string().trim().max(500).optional(),
});

// ---- Fulfilment (issue 12: shipping to completion) ------------------------------------------
/**
 * After `paid`: `shipped` (an admin shipped it with a carrier and a tracking number), `received`
 * (the buyer confirmed receipt, or the sweeper did MALL_AUTO_RECEIVE_DAYS after shipping; the
 * return window runs), `completed` (the return window passed: final). A refund hangs off `paid`
 * (before shipping) and `received` (within the return window); neither is decided here.
 */
export const FULFILMENT_STATES = ['shipped', 'received', 'completed'] as const;
export type FulfilmentState = (typeof FULFILMENT_STATES)[number];
/**
 * Their `status`: lebron's numbers (seed 002: 40 awaiting receipt, 50 trade succeeded), which do
 * not clash with go-zero-mall's 0/1/9. Received and completed are both 50; `state` tells them apart.
 */
export const FULFILMENT_STATUS: Record<FulfilmentState, number> = { shipped: 40, received: 50, completed: 50 };
/** Who confirmed receipt: the buyer, or the sweeper after MALL_AUTO_RECEIVE_DAYS. */
export const RECEIVED_BY = ['buyer', 'auto'] as const;
/** The fulfilment fields of an order's view (times in Unix seconds), present once reached. */
export const fulfilmentFields = {
  carrier: z.string().optional(),
  tracking_no: z.string().optional(),
  shipped_at: z.number().int().optional(),
  received_at: z.number().int().optional(),
  received_by: z.enum(RECEIVED_BY).optional(),
  completed_at: z.number().int().optional(),
};
export type FulfilmentView = { [K in keyof typeof fulfilmentFields]?: z.infer<(typeof fulfilmentFields)[K]> };
// ---- end of fulfilment -----------------------------------------------------------------------

/** A received order whose buyer asked for a refund (after-sale-schemas.ts): the admin decides; it is not completed meanwhile. */
export const AFTER_SALE = 'after_sale';

export const ORDER_STATES = ['pending', 'awaiting_payment', 'paid', 'cancelling', 'cancelled', ...FULFILMENT_STATES, AFTER_SALE] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * go-zero-mall's numeric status for each state, with go-zero-mall's meaning: 0 placed and not
 * paid, 1 paid, 9 invalid (its compensation's number). `state` tells the stages apart: a
 * cancelling order can no longer be paid, so it is already 9.
 */
export const STATUS: Record<OrderState, number> = {
  pending: 0,
  awaiting_payment: 0,
  paid: 1,
  cancelling: 9,
  cancelled: 9,
  ...FULFILMENT_STATUS,
  // The goods were received (lebron's 50); `state` and `after_sale` tell the request apart.
  after_sale: 50,
};

export interface OrderItem {
  pid: number;
  name: string;
  price: number;
  num: number;
}

/** go-zero-mall's order fields, and the saga's. */
export interface OrderView extends FulfilmentView {
  id: number;
  uid: number;
  /** The first item's product, as go-zero-mall's single-product orders have it. */
  pid: number;
  amount: number;
  status: number;
  state: OrderState;
  /** Why it was cancelled: INSUFFICIENT_STOCK, COUPON_USED, PRODUCT_UNAVAILABLE, CANCELLED_BY_USER... */
  reason?: string;
  items: OrderItem[];
  total: number;
  discount: number;
  coupon_id?: number;
  payment_id?: number;
  remark?: string;
  /** The shipping address copied when the order was created (absent when the user had none). */
  address?: ShippingAddressCopy;
  /** Refunds (issue 12): see REFUND_STATES below. */
  refund_state?: RefundState;
  refunded_amount?: number;
  /** After-sale (issue 12): the buyer's refund request and the admin's decision. */
  after_sale?: AfterSaleView;
  create_time: number;
  update_time: number;
  /** Pass as `cursor` to list the orders after this one. */
  cursor: number;
}

// Replies (the 200 bodies): exactly these fields.

/** The shipping address an order keeps: the address book entry as it was at create time (issue 12). */
export const shippingAddressCopy = z.strictObject({
  id,
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
});
export type ShippingAddressCopy = z.infer<typeof shippingAddressCopy>;

const int = z.number().int();
const orderState = z.enum(ORDER_STATES);

/**
 * What create and cancel answer: the order's id and where it stands now; create adds the amount
 * to pay and, once the saga has ended, why it was cancelled or the payment to pay.
 */
export const orderStateResponse = z.strictObject({
  id,
  state: orderState,
  status: int,
  amount: int.optional(),
  reason: z.string().optional(),
  payment_id: id.optional(),
});

export const orderResponse = z.strictObject({
  id,
  uid: id,
  pid: id,
  amount: int,
  status: int,
  state: orderState,
  reason: z.string().optional(),
  items: z.array(z.strictObject({ pid: id, name: z.string(), price: int, num: int })),
  total: int,
  discount: int,
  coupon_id: id.optional(),
  payment_id: id.optional(),
  remark: z.string().optional(),
  address: shippingAddressCopy.optional(),
  refund_state: z.enum(['pending', 'partial', 'refunded']).optional(), // refunds (issue 12)
  refunded_amount: int.optional(), // refunds (issue 12)
  after_sale: afterSaleView.optional(), // after-sale (issue 12)
  create_time: int,
  update_time: int,
  cursor: int,
  ...fulfilmentFields,
}) satisfies z.ZodType<OrderView>;

/** GET /api/order/stuck?older_than_minutes=...: the default is the alarm's limit (a query string, so digits). */
export const stuckRequest = z.object({
  older_than_minutes: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number of minutes')
    .transform(Number)
    .optional(),
});

/** GET /api/order/stuck (admin): orders whose compensations have been retried too long, oldest first. */
export const stuckOrdersResponse = z.strictObject({
  orders: z.array(
    z.strictObject({
      id,
      uid: id,
      /** The saga execution retrying the compensations (its history has the errors). */
      run: z.string(),
      reason: z.string().optional(),
      /** Unix seconds: cancelling since (since the last repair run started, for a repaired one). */
      since: int,
      /** Repair runs the sweeper started for the order, when any. */
      repairs: int.optional(),
      /** Unix seconds: the sweeper stopped repairing the order after its bound; it waits for an operator. */
      parked_at: int.optional(),
      /** The run's latest failure (listed for the 50 oldest; not for Express runs, whose errors are in the logs). */
      last_error: z
        .strictObject({
          /** The error's name, e.g. a Lambda error type or States.Timeout. */
          error: z.string(),
          /** What it said (a Lambda error's message), at most 500 characters. */
          cause: z.string(),
          /** Unix seconds. */
          time: int,
        })
        .optional(),
    }),
  ),
});

/** go-zero-mall's list is a bare JSON array. */
export const ordersResponse = z.array(orderResponse);

// ---- Refunds (issue 12) ----

/**
 * Where the money of a cancelled paid order stands: `pending` until the payment service's
 * Refunded arrives, `partial` or `refunded` after (order/detail's `refund_state`).
 */
export const REFUND_STATES = ['pending', 'partial', 'refunded'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
