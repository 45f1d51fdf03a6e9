import { expect } from 'vitest';
import { asAdmin, bearer, get, post } from './client';

// Orders over real HTTP: what the order tests share.

export let admin: Record<string, string>;
const category = `orders-${Date.now()}`;

/** Signs in the admin: every order test file runs it before its tests. */
export async function signIn(): Promise<void> {
  admin = await asAdmin();
}

export async function createProduct(fields: Record<string, unknown> = {}): Promise<number> {
  const reply = await post('/api/product/create', { name: 'Saga item', stock: 100, amount: 1000, status: 1, category, ...fields }, admin);
  expect(reply.status).toBe(200);
  return reply.body.id;
}

/** Every status seen, with its code, so a failed assertion shows what came back. */
export function statusTally(replies: Array<{ status: number; body: any }>): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const r of replies) {
    const seen = r.status === 200 ? '200' : `${r.status} ${r.body?.code}`;
    tally[seen] = (tally[seen] ?? 0) + 1;
  }
  return tally;
}

export const stockOf = async (id: number) => (await post('/api/product/detail', { id }, admin)).body.stock as number;

export async function issueCoupon(uid: number, fields: Record<string, unknown> = {}): Promise<number> {
  const reply = await post(
    '/api/coupon/issue',
    { uid, value: 300, min_spend: 0, expires_at: Math.floor(Date.now() / 1000) + 3600, ...fields },
    admin,
  );
  expect(reply.status).toBe(200);
  return reply.body.id;
}

export const couponOf = async (token: string, id: number) =>
  (await get('/api/coupon/list', {}, bearer(token))).body.coupons.find((c: { id: number }) => c.id === id);

export async function order(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const reply = await post('/api/order/create', body, { ...bearer(token), ...headers });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as { id: number; state: string; status: number; reason?: string; payment_id?: number };
}
