import { createHash } from 'node:crypto';
import type { Caller } from '../../shared/caller';
import { badRequest, conflict, forbidden, notFound, serviceBusy } from '../../shared/errors';
import { logger } from '../../shared/powertools';
import { pollWhile, RETRY, retry } from '../../shared/retry';
import type { CouponQuotes } from '../coupon/client';
import { type PaymentCloser, refundsUnavailable } from '../pay/client';
import type { Catalog } from '../product/client';
import type { AddressBookClient } from '../user/client';
import type { OrderSummary } from './client';
import { fulfilmentFieldsOf } from './fulfilment-view';
import { checkItems, type OrderLimits, tooManyOpenOrders } from './order-limits';
import type { OrderRepository } from './order-repository';
import { type SagaRunner, sagaInputOf } from './order-saga-service';
import { listKeyOf, type OrderRecord } from './order-table';
import { refundFieldsOf } from './refund-view';
import { type CreateRequest, type OrderState, type OrderView, STATUS } from './schemas';

/** What the API's use cases need. */
export interface OrderDeps {
  orders: OrderRepository;
  catalog: Catalog;
  coupons: CouponQuotes;
  saga: SagaRunner;
  payments: PaymentCloser;
  limits: OrderLimits;
  /** The user service's address book: the order keeps a copy of its shipping address. */
  addresses: AddressBookClient;
}

/** What reading and managing an order needs: its table only, so those functions carry no other client. */
export type OrderReadDeps = Pick<OrderDeps, 'orders'>;
/** What cancelling needs: the table, the payment service, the saga, and whether the payment service can refund. */
export type OrderCancelDeps = Pick<OrderDeps, 'orders' | 'payments' | 'saga'> & { refundsAvailable: boolean };

const seconds = (ms: number) => Math.floor(ms / 1000);
const orderNotFound = () => notFound('ORDER_NOT_FOUND', 'order not found');

export function toView(o: OrderRecord): OrderView {
  return {
    id: o.id,
    uid: o.uid,
    pid: o.items[0]!.pid,
    amount: o.amount,
    status: STATUS[o.state],
    state: o.state,
    ...(o.reason ? { reason: o.reason } : {}),
    items: o.items,
    total: o.total,
    discount: o.discount,
    ...(o.couponId ? { coupon_id: o.couponId } : {}),
    ...(o.paymentId ? { payment_id: o.paymentId } : {}),
    ...(o.remark ? { remark: o.remark } : {}),
    ...(o.address ? { address: o.address } : {}),
    ...refundFieldsOf(o),
    create_time: seconds(o.createdAt),
    update_time: seconds(o.updatedAt),
    cursor: listKeyOf(o),
    ...fulfilmentFieldsOf(o),
  };
}

export interface CreateOptions {
  /** The client's Idempotency-Key: a retried request returns the same order. */
  idempotencyKey?: string;
  correlationId?: string;
  /** How long to wait for the saga's outcome before answering `pending` (ORDER_CREATE_WAIT_MS). */
  waitMs?: number;
}

/**
 * Prices the order from current prices and the coupon, writes it pending and starts its saga.
 * It answers the saga's outcome (awaiting payment with the payment's id, or cancelled with the
 * reason) when the saga ends within `waitMs`, else `pending`.
 */
export async function createOrder(deps: OrderDeps, caller: Caller, input: CreateRequest, options: CreateOptions = {}) {
  const { idempotencyKey, correlationId, waitMs = 0 } = options;
  if (input.uid !== undefined && input.uid !== caller.uid) throw forbidden('UID_MISMATCH', 'uid must be your own user id');
  const bodyHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (idempotencyKey) {
    const existing = await deps.orders.idempotencyKey(caller.uid, idempotencyKey);
    if (existing) return replay(deps, existing, bodyHash, waitMs);
  }

  const wanted = input.items ?? [{ pid: input.pid!, num: input.num ?? 1 }];
  checkItems(deps.limits, wanted);
  // The shipping address (the one asked for, else the default) is read beside the products: one invoke, no added wait.
  const [found, address] = await Promise.all([
    deps.catalog.products(wanted.map((i) => i.pid)),
    deps.addresses.address(caller.uid, input.address_id),
  ]);
  if (input.address_id !== undefined && !address) throw notFound('ADDRESS_NOT_FOUND', 'address not found');
  const products = new Map(found.map((p) => [p.id, p]));
  const items = wanted.map(({ pid, num }) => {
    const product = products.get(pid);
    if (!product || product.removed) throw notFound('PRODUCT_NOT_FOUND', `product ${pid} not found`);
    return { pid, name: product.name, price: product.price, num };
  });
  const flashSale = wanted.some(({ pid }) => products.get(pid)?.flashSale);
  const total = items.reduce((sum, i) => sum + i.price * i.num, 0);
  let discount = 0;
  if (input.couponId) {
    // Only the owner's coupon is found; whether it can be used is the saga's UseCoupon's call.
    const quote = await deps.coupons.quote(caller.uid, input.couponId);
    if (quote.found) discount = Math.min(quote.value, total);
  }
  const amount = total - discount;
  if (input.amount !== undefined && input.amount !== amount) {
    throw badRequest('AMOUNT_MISMATCH', `the amount is ${amount} (total ${total}, discount ${discount}), not ${input.amount}`);
  }

  const now = Date.now();
  const order: OrderRecord = {
    id: await deps.orders.nextId(),
    uid: caller.uid,
    items,
    total,
    discount,
    amount,
    ...(input.couponId ? { couponId: input.couponId } : {}),
    fromCart: input.fromCart,
    ...(flashSale ? { flashSale } : {}),
    // A copy: editing or removing the address book later never changes this order.
    ...(address ? { address } : {}),
    state: 'pending',
    createdAt: now,
    updatedAt: now,
  };
  const { existing } = await placeWithinLimit(deps, order, idempotencyKey ? { key: idempotencyKey, bodyHash } : undefined);
  if (existing) return replay(deps, existing, bodyHash, waitMs);
  await deps.saga.start(`order-${order.id}`, sagaInputOf(order, 'create', undefined, correlationId));
  return outcomeOf(deps, order, waitMs);
}

/** Where the order stands once its saga has ended, or `pending` after `waitMs`: what create answers. */
async function outcomeOf(deps: OrderDeps, order: OrderRecord, waitMs: number) {
  const pending = (o?: OrderRecord) => o?.state === 'pending';
  const now = pending(order) && waitMs > 0 ? ((await pollWhile(() => deps.orders.get(order.id), pending, waitMs, order)) ?? order) : order;
  return {
    id: now.id,
    state: now.state,
    status: STATUS[now.state],
    amount: now.amount,
    ...(now.reason ? { reason: now.reason } : {}),
    ...(now.paymentId ? { payment_id: now.paymentId } : {}),
  };
}

/**
 * Writes the order if its owner holds fewer unpaid orders than the limit. Orders paid or closed
 * since they were counted are taken out of the count only when it is full, then the write is
 * tried again. The user's simultaneous orders write the same count item: a write that met
 * another (TransactionConflict) backs off and tries again; 503 SERVICE_BUSY if it keeps meeting them.
 */
function placeWithinLimit(deps: OrderDeps, order: OrderRecord, idempotency?: { key: string; bodyHash: string }) {
  return retry(
    { attempts: 10, baseDelayMs: 20, maxDelayMs: 320, exhausted: serviceBusy },
    async (): Promise<{ existing?: { orderId: number; bodyHash: string } } | typeof RETRY> => {
      const placed = await deps.orders.create(order, deps.limits.maxOpenPerUser, idempotency);
      if (placed.contended) return RETRY;
      if (!placed.full) return placed;
      if ((await deps.orders.forgetSettledUnpaid(order.uid)) === 0) throw tooManyOpenOrders(deps.limits);
      return RETRY;
    },
  );
}

async function replay(deps: OrderDeps, existing: { orderId: number; bodyHash: string }, bodyHash: string, waitMs: number) {
  if (existing.bodyHash !== bodyHash) throw conflict('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different order');
  const order = await deps.orders.get(existing.orderId);
  if (!order) throw orderNotFound();
  // The first request may have stopped before its saga started; starting again is a no-op otherwise.
  if (order.state === 'pending') await deps.saga.start(`order-${order.id}`, sagaInputOf(order));
  return outcomeOf(deps, order, waitMs);
}

/** An order the caller may see: their own, or any for an admin. Others' are "not found". */
async function visibleOrder(deps: OrderReadDeps, caller: Caller, id: number): Promise<OrderRecord> {
  const order = await deps.orders.get(id);
  if (!order || (order.uid !== caller.uid && caller.role !== 'admin')) throw orderNotFound();
  return order;
}

export async function orderDetail(deps: OrderReadDeps, caller: Caller, id: number): Promise<OrderView> {
  return toView(await visibleOrder(deps, caller, id));
}

export async function listOrders(
  deps: OrderReadDeps,
  caller: Caller,
  input: { uid?: number; cursor: number; ps: number },
): Promise<OrderView[]> {
  const uid = input.uid ?? caller.uid;
  if (uid !== caller.uid && caller.role !== 'admin') throw forbidden('ADMIN_ONLY', "only an admin may list another user's orders");
  return (await deps.orders.listByUser(uid, input.cursor, input.ps)).map(toView);
}

/** What the owner may cancel: unpaid, or paid and not yet shipped (a condition on the state itself). */
const CANCELLABLE: OrderState[] = ['awaiting_payment', 'paid'];

/**
 * The owner cancels before shipping: the saga's compensations close the payment (a paid one is
 * refunded), restore the coupon and release the stock (a confirmed sale is taken back).
 */
export async function cancelOrder(deps: OrderCancelDeps, caller: Caller, id: number, correlationId?: string) {
  const order = await visibleOrder(deps, caller, id);
  if (order.uid !== caller.uid) throw forbidden('NOT_YOUR_ORDER', 'only the owner may cancel an order');
  if (order.state === 'pending') throw conflict('ORDER_PENDING', 'the order is still being placed; try again in a moment', 1);
  // A paid order's cancel is a refund; without a provider it would wait forever, so the money
  // stays with the order instead and the buyer is told, before anything is written.
  if (order.state === 'paid' && !deps.refundsAvailable) throw refundsUnavailable();
  // Unpaid: the payment is closed first, so a success that comes later is refunded. Paid meanwhile: ClosePayment refunds it.
  if (order.state === 'awaiting_payment' && (await deps.payments.closeForOrder(id)).outcome === 'paid' && !deps.refundsAvailable)
    throw refundsUnavailable();
  if (!(await deps.orders.transition(id, CANCELLABLE, 'cancelling', { run: `cancel-${id}`, reason: 'CANCELLED_BY_USER' }))) {
    const now = await deps.orders.get(id);
    if (now?.state === 'cancelling' || now?.state === 'cancelled') return { id, state: now.state, status: STATUS[now.state] };
    throw conflict('ORDER_NOT_CANCELLABLE', `an order that is ${now?.state} cannot be cancelled`);
  }
  try {
    await deps.saga.start(`cancel-${id}`, sagaInputOf(order, 'cancel', 'CANCELLED_BY_USER', correlationId));
  } catch (error) {
    // The order is cancelling, on the sweeper's index: it starts the cancel again after its bound.
    logger.warn('cancel run not started; the sweeper will', { orderId: id, error: String(error) });
  }
  return { id, state: 'cancelling' as const, status: STATUS.cancelling };
}

/**
 * Admin only. Money, items and state belong to the saga and payments, so go-zero-mall's
 * uid/pid/amount/status are accepted only unchanged; the remark can be set.
 */
export async function updateOrder(
  deps: OrderReadDeps,
  input: { id: number; uid?: number; pid?: number; amount?: number; status?: number; remark?: string },
) {
  const order = await deps.orders.get(input.id);
  if (!order) throw orderNotFound();
  const view = toView(order);
  for (const field of ['uid', 'pid', 'amount', 'status'] as const) {
    if (input[field] !== undefined && input[field] !== view[field]) {
      throw conflict('FIELD_MANAGED_BY_SAGA', `${field} is set by the order saga and payments, not by update`);
    }
  }
  if (input.remark !== undefined) await deps.orders.setRemark(input.id, input.remark);
  return {};
}

const FINISHED: OrderState[] = ['cancelled', 'paid', 'shipped', 'received', 'completed'];

/** Hides the caller's own finished or cancelled order from their list (an admin may hide any). */
export async function removeOrder(deps: OrderReadDeps, caller: Caller, id: number) {
  await visibleOrder(deps, caller, id);
  if (!(await deps.orders.hide(id, FINISHED))) throw conflict('ORDER_NOT_FINISHED', 'only finished or cancelled orders can be removed');
  return {};
}

/** For the payment service (internal): an order's owner, amount and state. */
export async function orderSummary(orders: OrderRepository, id: number): Promise<OrderSummary | null> {
  const order = await orders.get(id);
  return order ? { id: order.id, uid: order.uid, amount: order.amount, state: order.state } : null;
}
