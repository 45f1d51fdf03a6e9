import { type DynamoDBDocumentClient, type NativeAttributeValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';
import { AFTER_SALE_STATES } from './after-sale-schemas';
import { ORDER_STATES, type OrderState, shippingAddressCopy } from './schemas';

/**
 * The order table: every item keyed by (pk, sk).
 *   ORDER#<id> / ORDER              an order. While visible it carries userPk/listKey (index
 *                                   ByUser: a user's orders, newest first); while pending or
 *                                   cancelling, or in after_sale with an approved refund not
 *                                   yet asked for, openPk/openKey (index ByOpen, spread over
 *                                   OPEN_SHARDS partitions: what the sweeper finishes); while
 *                                   awaiting payment, payPk/payDue (index ByPayDue: what the
 *                                   sweeper closes when unpaid too long); while paid, shipped,
 *                                   received, after_sale or completed, statePk/stateKey (index
 *                                   ByState, sharded like ByOpen: the admin's list by state,
 *                                   and what the sweeper auto-receives and completes)
 *                                             order-repository.ts, order-saga-repository.ts,
 *                                             overdue-order-repository.ts
 *   USER#<uid> / UNPAID             the ids of the user's unpaid orders (a number set `open`,
 *                                   at most the limit): added with the order in one
 *                                   transaction; ids of orders paid or closed since are taken
 *                                   out only when the set is full          order-repository.ts
 *   IDEMPOTENCY#<uid>#<key> / KEY   the order an Idempotency-Key created, for 24 hours (TTL)
 *                                             order-repository.ts
 *   COUNTER#order / COUNTER         the id allocator (shared/ids.ts)
 *   BARRIER#<gid>#<branch> / <op>   the saga's barriers (shared/barrier.ts)
 * The keys of the items are written here, once.
 */
export const OPEN_SHARDS = 8;

export const orderKey = (id: number) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });
export const idempotencyKeyOf = (uid: number, key: string) => ({ pk: `IDEMPOTENCY#${uid}#${key}`, sk: 'KEY' });
export const counterKey = { pk: 'COUNTER#order', sk: 'COUNTER' };

/** The ByUser sort key, newest first: Unix microseconds whose sub-millisecond digits come from the id. */
export const listKeyOf = (o: { createdAt: number; id: number }) => o.createdAt * 1000 + (o.id % 1000);
/**
 * The partitions of the sharded sparse indexes: ByOpen (pending or cancelling, or in after-sale
 * with an approved refund not yet asked for) and ByPayDue (awaiting payment).
 */
export const openShardPk = (shard: number) => `OPEN#${shard}`;
export const payDueShardPk = (shard: number) => `PAYDUE#${shard}`;
/**
 * ByOpen's keys: an order pending or cancelling, by the time it entered that state (created, or
 * the cancel started). The sweeper moves the key forward past orders it cannot act on yet.
 */
export const openKeys = (o: { id: number; createdAt: number }, at = o.createdAt) => ({
  openPk: openShardPk(o.id % OPEN_SHARDS),
  openKey: at,
});
/**
 * ByOpen's sort key of an order parked for an operator: later than any sweep's "before", so it
 * never blocks the orders behind it, while it stays on ByOpen for the stuck list.
 */
export const PARKED_OPEN_KEY = Number.MAX_SAFE_INTEGER;
/** ByUser's partition: the user's visible orders. */
export const userPkOf = (uid: number) => `USER#${uid}`;
/** The user's unpaid orders, counted against a limit. */
export const unpaidSetKey = (uid: number) => ({ pk: userPkOf(uid), sk: 'UNPAID' });
/** The states an order counts against its owner's limit in; an order never returns to them. */
export const UNPAID_STATES: readonly OrderState[] = ['pending', 'awaiting_payment'];
/** ByUser's keys: an order its owner sees in their list. */
export const visibleKeys = (o: { id: number; uid: number; createdAt: number }) => ({ userPk: userPkOf(o.uid), listKey: listKeyOf(o) });
/** ByPayDue's partition of an order awaiting payment (its sort key, payDue, is the deadline). */
export const payPkOf = (id: number) => payDueShardPk(id % OPEN_SHARDS);

// ---- Fulfilment (issue 12): the ByState index -----------------------------------------------
/** The states on ByState: from payment on. Pending, awaiting payment and cancelling are on ByOpen/ByPayDue. */
export const LISTED_STATES: readonly OrderState[] = ['paid', 'shipped', 'received', 'after_sale', 'completed'];
export const stateShardPk = (state: OrderState, shard: number) => `STATE#${state}#${shard}`;
/**
 * ByState's keys of an order that entered `state` at `at` (Unix ms), or undefined when that state
 * is not listed. The sort key is Unix microseconds whose last digits come from the id: unique, so
 * a cursor neither repeats nor skips.
 */
export const stateKeysOf = (id: number, state: OrderState, at: number) =>
  LISTED_STATES.includes(state) ? { statePk: stateShardPk(state, id % OPEN_SHARDS), stateKey: at * 1000 + (id % 1000) } : undefined;
// ---- end of fulfilment -----------------------------------------------------------------------

const orderItem = z.object({ pid: z.number(), name: z.string(), price: z.number(), num: z.number() });

const orderRecord = z.object({
  id: z.number(),
  uid: z.number(),
  items: z.array(orderItem),
  total: z.number(),
  discount: z.number(),
  amount: z.number(),
  couponId: z.number().optional(),
  fromCart: z.boolean(),
  /** An item was in the flash sale when ordered: a shorter payment window. */
  flashSale: z.boolean().optional(),
  state: z.enum(ORDER_STATES),
  reason: z.string().optional(),
  paymentId: z.number().optional(),
  paidAt: z.number().optional(),
  /** The saga execution now driving the order (pending: order-<id>; cancelling: its cancel run). */
  run: z.string().optional(),
  /** Repair runs the sweeper started for the order (sweep-service.ts sweepOpenOrders). */
  repairs: z.number().optional(),
  /** When the sweeper stopped repairing the order after its bound, for an operator (Unix ms). */
  parkedAt: z.number().optional(),
  remark: z.string().optional(),
  /** The shipping address as it was when ordered (a copy of the user's address book entry). */
  address: z.object(shippingAddressCopy.shape).optional(),
  hidden: z.boolean().optional(),
  // Fulfilment (issue 12): set by ship, receive and complete; times in Unix ms.
  carrier: z.string().optional(),
  trackingNo: z.string().optional(),
  shippedAt: z.number().optional(),
  receivedAt: z.number().optional(),
  receivedBy: z.enum(['buyer', 'auto']).optional(),
  completedAt: z.number().optional(),
  /** Refunds (issue 12): cents refunded so far (the payment service's Refunded), and when the last came. */
  refundedAmount: z.number().optional(),
  refundedAt: z.number().optional(),
  /** After-sale (issue 12): the buyer's refund request and the admin's decision (after-sale-repository.ts); times in Unix ms. */
  afterSale: z
    .object({
      state: z.enum(AFTER_SALE_STATES),
      reason: z.string(),
      amount: z.number(),
      goodsReturned: z.boolean().optional(),
      note: z.string().optional(),
      requestedAt: z.number(),
      decidedAt: z.number().optional(),
    })
    .optional(),
  /** Unix milliseconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type OrderRecord = z.infer<typeof orderRecord>;

/** An order item as its record: index keys and saga stamps are left out. */
export const toOrderRecord = (item: Record<string, NativeAttributeValue>): OrderRecord => recordOf(orderRecord, item);

/** A conditional update of order `id` (Key, TableName and ReturnValues are added): the order as now stored, or undefined if the condition did not hold. */
export async function updateOrderIf(
  db: DynamoDBDocumentClient,
  table: string,
  id: number,
  update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key' | 'ReturnValues'>,
): Promise<OrderRecord | undefined> {
  try {
    const out = await db.send(new UpdateCommand({ ...update, TableName: table, Key: orderKey(id), ReturnValues: 'ALL_NEW' }));
    return toOrderRecord(out.Attributes!);
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}
