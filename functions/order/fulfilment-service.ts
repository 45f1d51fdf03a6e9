import type { Caller } from '../../shared/caller';
import { badRequest, conflict, notFound } from '../../shared/errors';
import type { FulfilmentRepository } from './fulfilment-repository';
import type { OrderRepository } from './order-repository';
import { toView } from './order-service';
import { LISTED_STATES } from './order-table';
import type { OrderState } from './schemas';

/** What shipping, receiving and the order lists need: the order table. */
export interface FulfilmentDeps {
  orders: OrderRepository;
  fulfilment: FulfilmentRepository;
}

const orderNotFound = () => notFound('ORDER_NOT_FOUND', 'order not found');
const UNPAID: OrderState[] = ['pending', 'awaiting_payment'];
const SHIPPED_ON: OrderState[] = ['shipped', 'received', 'after_sale', 'completed'];
const RECEIVED_ON: OrderState[] = ['received', 'after_sale', 'completed'];

/**
 * Admin: ships a paid order. Idempotent: the same carrier and tracking number again answer the
 * order as it is; another one on a shipped order is 409 ALREADY_SHIPPED, so of two ships at once
 * exactly one wins.
 */
export async function shipOrder(deps: FulfilmentDeps, input: { id: number; carrier: string; tracking_no: string }, now = Date.now()) {
  const shipped = await deps.fulfilment.move(input.id, {
    to: 'shipped',
    from: 'paid',
    at: now,
    carrier: input.carrier,
    trackingNo: input.tracking_no,
  });
  if (shipped) return toView(shipped);
  const order = await deps.orders.get(input.id);
  if (!order) throw orderNotFound();
  if (SHIPPED_ON.includes(order.state)) {
    if (order.carrier === input.carrier && order.trackingNo === input.tracking_no) return toView(order);
    throw conflict('ALREADY_SHIPPED', `the order was already shipped with ${order.carrier} ${order.trackingNo}`);
  }
  if (UNPAID.includes(order.state)) throw conflict('ORDER_NOT_PAID', 'only a paid order can be shipped');
  throw conflict('ORDER_NOT_SHIPPABLE', `an order that is ${order.state} cannot be shipped`);
}

/**
 * The buyer confirms receipt of their own shipped order (someone else's is not found, admins
 * included). Idempotent: once received (by the buyer or automatically), or completed, it answers
 * 200 with the order as it is, so a receipt racing the sweeper's gets the same answer.
 */
export async function receiveOrder(deps: FulfilmentDeps, caller: Caller, id: number, now = Date.now()) {
  const received = await deps.fulfilment.move(id, { to: 'received', from: 'shipped', at: now, by: 'buyer', uid: caller.uid });
  if (received) return toView(received);
  const order = await deps.orders.get(id);
  if (!order || order.uid !== caller.uid) throw orderNotFound();
  if (RECEIVED_ON.includes(order.state)) return toView(order);
  if (order.state === 'paid' || UNPAID.includes(order.state)) throw conflict('ORDER_NOT_SHIPPED', 'the order has not been shipped yet');
  throw conflict('ORDER_NOT_RECEIVABLE', `an order that is ${order.state} cannot be received`);
}

/** The caller's orders (lebron's list), optionally in one state, newest first, with `is_end`. */
export async function listMyOrders(deps: FulfilmentDeps, caller: Caller, input: { state?: OrderState; cursor: number; ps: number }) {
  const page = await deps.fulfilment.userInState(caller.uid, input.state, input.cursor, input.ps);
  return { orders: page.orders.map(toView), is_end: page.isEnd, order_time: page.next };
}

/** Admin: every order in a state from payment on (e.g. paid, not yet shipped), oldest in that state first. */
export async function listOrdersInState(deps: FulfilmentDeps, input: { state: OrderState; cursor: number; ps: number }) {
  if (!LISTED_STATES.includes(input.state)) {
    throw badRequest('STATE_NOT_LISTED', `orders can be listed by state from payment on: ${LISTED_STATES.join(', ')}`);
  }
  const page = await deps.fulfilment.inState(input.state, input.cursor, input.ps);
  return { orders: page.orders.map(toView), is_end: page.isEnd, order_time: page.next };
}
