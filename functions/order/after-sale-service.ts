import type { Caller } from '../../shared/caller';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { logger } from '../../shared/powertools';
import { type PaymentRefunder, refundsUnavailable } from '../pay/client';
import { type AfterSaleRepository, RETURNED, returnRun } from './after-sale-repository';
import type { OrderRepository } from './order-repository';
import { type SagaRunner, sagaInputOf } from './order-saga-service';
import { toView } from './order-service';
import type { OrderRecord } from './order-table';

/** What asking and rejecting need: the order table. */
export interface AfterSaleDeps {
  orders: OrderRepository;
  afterSale: AfterSaleRepository;
}
/** What approving needs as well: the payment service's refunds (and whether it can make them), and the saga for returns. */
export type AfterSaleApprovalDeps = AfterSaleDeps & { refunds: PaymentRefunder; refundsAvailable: boolean; saga: SagaRunner };

/** The refund id of an approved refund of goods the buyer keeps: one per order. */
export const afterSaleRefundId = (orderId: number) => `return-${orderId}`;
/** The reason its refund is recorded with (the buyer's words stay on the order). */
const AFTER_SALE_REASON = 'AFTER_SALE';

const orderNotFound = () => notFound('ORDER_NOT_FOUND', 'order not found');

/**
 * The buyer asks for a refund of their own received order, within the return window
 * (`returnWindowMs` after receipt: MALL_RETURN_WINDOW_DAYS), with a reason: the order is
 * `after_sale` until an admin decides. `amount` defaults to what was paid and not yet refunded,
 * and may not exceed it. One request per order: a second is 409 AFTER_SALE_EXISTS, whatever
 * became of the first.
 */
export async function requestRefund(
  deps: AfterSaleDeps,
  returnWindowMs: number,
  caller: Caller,
  input: { id: number; reason: string; amount?: number },
  now = Date.now(),
) {
  const order = await deps.orders.get(input.id);
  if (!order || order.uid !== caller.uid) throw orderNotFound();
  const refundable = order.amount - (order.refundedAmount ?? 0);
  if (input.amount !== undefined && input.amount > refundable) {
    throw badRequest('REFUND_TOO_LARGE', `at most ${refundable} can be refunded (paid ${order.amount})`);
  }
  const windowStart = now - returnWindowMs;
  const afterSale = { state: 'requested' as const, reason: input.reason, amount: input.amount ?? refundable, requestedAt: now };
  const requested = await deps.afterSale.request(order.id, caller.uid, afterSale, windowStart);
  if (requested) return toView(requested);

  const current = (await deps.orders.get(order.id))!;
  if (current.afterSale) throw conflict('AFTER_SALE_EXISTS', `a refund was already asked for this order (${current.afterSale.state})`);
  if (current.state === 'completed' || (current.state === 'received' && current.receivedAt! <= windowStart)) {
    throw conflict('RETURN_WINDOW_CLOSED', `refunds can be asked for within ${returnWindowMs / 86_400_000} days of receipt`);
  }
  throw conflict('ORDER_NOT_RECEIVED', `a refund can be asked for once the order is received; it is ${current.state}`);
}

/** The order in after-sale, for an admin's decision: 404 if there is no such order, 409 NO_REFUND_REQUESTED if it has no request. */
async function orderWithRequest(deps: AfterSaleDeps, id: number) {
  const order = await deps.orders.get(id);
  if (!order) throw orderNotFound();
  if (!order.afterSale) throw conflict('NO_REFUND_REQUESTED', 'no refund was asked for this order');
  return order as OrderRecord & { afterSale: NonNullable<OrderRecord['afterSale']> };
}

/**
 * Admin: approves the request. Goods returned: the order is undone through the saga's
 * compensations, like a cancel (the refund of the amount approved, stock and sale back, the
 * coupon back) and ends `cancelled` with reason RETURNED. Goods kept: the payment service
 * refunds the amount (refund `return-<id>`) and the order is `received` again, completed when
 * the window ends. Idempotent: the same decision again carries out what an interrupted one left
 * (the run is started again, the refund asked again: both by name), as the sweeper does after
 * its bound. Another decision is 409.
 */
export async function approveRefund(deps: AfterSaleApprovalDeps, input: { id: number; goods_returned: boolean }, correlationId?: string) {
  const now = Date.now();
  let order = await orderWithRequest(deps, input.id);
  // Either approval refunds the amount; without a provider it would wait forever: the request
  // stays to be decided once refunds can be made.
  if (order.afterSale.state === 'requested' && order.afterSale.amount > 0 && !deps.refundsAvailable) throw refundsUnavailable();
  if (order.afterSale.state === 'requested') {
    const moved = input.goods_returned
      ? await deps.afterSale.approveReturn(order.id, now)
      : await deps.afterSale.approveRefund(order.id, now);
    order = (moved as typeof order | undefined) ?? (await orderWithRequest(deps, input.id));
  }
  const decided = order.afterSale;
  if (decided.state !== 'approved' || decided.goodsReturned !== input.goods_returned) {
    throw conflict(
      'REFUND_ALREADY_DECIDED',
      `the request was already ${decided.state === 'approved' ? 'approved otherwise' : decided.state}`,
    );
  }
  if (input.goods_returned) {
    if (order.state === 'cancelling') await startReturnRun(deps, order, correlationId);
    return toView(order);
  }
  if (order.state !== 'after_sale') return toView(order);
  return toView((await finishRefund(deps, order, now)) ?? (await orderWithRequest(deps, input.id)));
}

/**
 * An approved refund of goods the buyer keeps is carried out: the payment service asks for it
 * (by name, so never twice) and the order is `received` again. Also the sweeper's, for an
 * approval that stopped after its first write. Undefined if the order had already moved on.
 */
export async function finishRefund(
  deps: Pick<AfterSaleApprovalDeps, 'afterSale' | 'refunds'>,
  order: OrderRecord & { afterSale: NonNullable<OrderRecord['afterSale']> },
  now: number,
) {
  // Nothing to refund (a fully discounted order): the decision alone.
  if (order.afterSale.amount > 0)
    await deps.refunds.refundOrder({
      orderId: order.id,
      refundId: afterSaleRefundId(order.id),
      amount: order.afterSale.amount,
      reason: AFTER_SALE_REASON,
    });
  return deps.afterSale.settled(order, now);
}

/** The return's cancel run; if it cannot start now, the sweeper starts it (the order is cancelling, on ByOpen). */
async function startReturnRun(deps: AfterSaleApprovalDeps, order: OrderRecord, correlationId?: string) {
  try {
    await deps.saga.start(returnRun(order.id), sagaInputOf(order, 'cancel', RETURNED, correlationId));
  } catch (error) {
    logger.warn('return run not started; the sweeper will', { orderId: order.id, error: String(error) });
  }
}

/** Admin: rejects the request with a note for the buyer; the order is `received` again. Idempotent; after an approval, 409. */
export async function rejectRefund(deps: AfterSaleDeps, input: { id: number; note: string }) {
  const order = await orderWithRequest(deps, input.id);
  const rejected = order.afterSale.state === 'requested' ? await deps.afterSale.reject(order, input.note, Date.now()) : undefined;
  if (rejected) return toView(rejected);
  const current = await orderWithRequest(deps, input.id);
  if (current.afterSale.state === 'rejected') return toView(current);
  throw conflict('REFUND_ALREADY_DECIDED', `the request was already ${current.afterSale.state}`);
}
