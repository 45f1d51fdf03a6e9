import * as z from 'zod';
import { ORDER_STATES, orderResponse } from './schemas';

// The wire format of shipping, receipt and the lists by state (issue 12). States and status numbers: schemas.ts.

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** POST /api/order/ship (admin). */
export const shipRequest = z.object({
  id,
  /** The carrier's name, e.g. "SF Express". */
  carrier: z.string().trim().min(1).max(64),
  /** The carrier's tracking number: 4 to 40 letters, digits or dashes. */
  tracking_no: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or dashes'),
});

/** POST /api/order/receive: the buyer's own order. */
export const receiveRequest = z.object({ id });

/** lebron's `ps` in a query string: default 20; missing, invalid or above 50 falls back to 20. */
const ps = z
  .string()
  .optional()
  .transform((raw) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= 50 ? n : 20;
  });
/** 0 or absent: the first page; otherwise the previous page's `order_time`. */
const cursor = z
  .string()
  .regex(/^\d{1,19}$/, 'must be the order_time of the previous page')
  .optional()
  .transform((raw) => (raw === undefined ? 0 : Number(raw)))
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));
const state = z.enum(ORDER_STATES);

/** GET /api/order/list?state=&cursor=&ps=: the caller's orders, optionally in one state. */
export const myOrdersRequest = z.object({ state: state.optional(), cursor, ps });

/** GET /api/order/admin/list?state=&cursor=&ps= (admin): orders in a state from payment on. */
export const ordersInStateRequest = z.object({ state, cursor, ps });

/** lebron's order list: `{orders, is_end, order_time}`; pass `order_time` as the next `cursor`. */
export const orderPageResponse = z.strictObject({
  orders: z.array(orderResponse),
  is_end: z.boolean(),
  order_time: z.number().int(),
});
