import { expect } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { eventsSettled } from './local-cloud';
import { createProduct, order } from './order-helpers';

// Orders past payment (issue 12): what the shipping and list tests share.

export const DAY = 86_400_000;

export type Buyer = Awaited<ReturnType<typeof registerAndLogin>>;

/** An order of `buyer`'s, awaiting payment. */
export async function awaitingOrder(buyer: Buyer, pid?: number): Promise<number> {
  const created = await order(buyer.token, { pid: pid ?? (await createProduct()), num: 1 });
  expect(await settledOrder(buyer.token, created.id)).toMatchObject({ state: 'awaiting_payment' });
  return created.id;
}

/** Pays the order through the sandbox callback, as go-zero-mall's client does, and waits until it is paid. */
export async function pay(buyer: Buyer, id: number): Promise<void> {
  const placed = (await post('/api/order/detail', { id }, bearer(buyer.token))).body;
  const payment = await post('/api/pay/create', { oid: id, amount: placed.amount }, bearer(buyer.token));
  expect(payment.status).toBe(200);
  const callback = { id: payment.body.id, uid: buyer.id, oid: id, amount: placed.amount, source: 1, status: 1 };
  expect((await post('/api/pay/callback', callback, bearer(buyer.token))).status).toBe(200);
  await eventsSettled();
  expect((await post('/api/order/detail', { id }, bearer(buyer.token))).body).toMatchObject({ state: 'paid', status: 1 });
}

/** A paid order of `buyer`'s (a new buyer unless given). */
export async function paidOrder(buyer?: Buyer, pid?: number): Promise<{ buyer: Buyer; id: number }> {
  const who = buyer ?? (await registerAndLogin('Buyer'));
  const id = await awaitingOrder(who, pid);
  await pay(who, id);
  return { buyer: who, id };
}

export const detailOf = async (token: string, id: number) => (await post('/api/order/detail', { id }, bearer(token))).body;
