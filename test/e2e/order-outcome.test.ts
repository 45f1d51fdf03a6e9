import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, injectFaults } from './local-cloud';
import { createProduct, signIn } from './order-helpers';

// One round trip per order: order/create waits a short, bounded time for the saga (2 s by
// default, MALL_ORDER_CREATE_WAIT_MS; 5 s in the tests' local cloud, for a busy machine) and
// answers its outcome, so a client need not poll.

/** order/create, timed. */
async function create(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const started = Date.now();
  const reply = await post('/api/order/create', body, { ...bearer(token), ...headers });
  return { ...reply, waited: Date.now() - started };
}

/** The outcome is in the answer, unless the saga took longer than the whole wait (a very busy machine). */
function expectOutcome(reply: { status: number; body: any; waited: number }, outcome: Record<string, unknown>) {
  expect(reply.status).toBe(200);
  if (reply.body.state === 'pending') expect(reply.waited).toBeGreaterThanOrEqual(4500);
  else expect(reply.body).toMatchObject(outcome);
}

describe("order/create answers the saga's outcome", () => {
  beforeAll(signIn);

  it('awaiting payment, with the payment to pay, in the answer to create', async () => {
    const user = await registerAndLogin('One trip');
    const pid = await createProduct({ amount: 700 });
    const created = await create(user.token, { pid, num: 2 });
    expectOutcome(created, { state: 'awaiting_payment', status: 0, amount: 1400, payment_id: expect.any(Number) });
    const detail = await settledOrder(user.token, created.body.id);
    expect(detail).toMatchObject({ state: 'awaiting_payment', amount: 1400 });
    if (created.body.payment_id) expect(created.body.payment_id).toBe(detail.payment_id);
    // A retried create with the same Idempotency-Key answers the same outcome.
    const key = { 'Idempotency-Key': `trip-${Date.now()}` };
    const first = await create(user.token, { pid }, key);
    await settledOrder(user.token, first.body.id);
    const again = await create(user.token, { pid }, key);
    expect(again.body).toMatchObject({ id: first.body.id, state: 'awaiting_payment', payment_id: expect.any(Number) });
  });

  it('refused, with the reason, in the answer to create', async () => {
    const user = await registerAndLogin('Too many');
    const pid = await createProduct({ stock: 1 });
    const created = await create(user.token, { pid, num: 2 });
    expectOutcome(created, { state: 'cancelled', status: 9, reason: 'INSUFFICIENT_STOCK' });
    expect(created.body.payment_id).toBeUndefined();
  });

  // A slow saga step is a local-cloud fault; a deployed stage has none to inject.
  it.skipIf(!awsEndpoint)('pending when the saga is slower than the wait, answered after the wait and before the saga ends', async () => {
    const user = await registerAndLogin('Slow saga');
    const pid = await createProduct();
    await injectFaults('Products/ReserveStock', 1, { delayMs: 8_000 });
    const created = await create(user.token, { pid });
    expect(created).toMatchObject({ status: 200, body: { state: 'pending', status: 0 } }); // the saga had not ended
    expect(created.waited).toBeGreaterThanOrEqual(4500); // but create waited for it (5 s here)
    expect(await settledOrder(user.token, created.body.id)).toMatchObject({ state: 'awaiting_payment' });
  });
});
