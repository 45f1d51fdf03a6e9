import { beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, injectFaults } from './local-cloud';
import { createProduct, signIn } from './order-helpers';

// go-zero-mall's client calls /api/pay/create right after /api/order/create. order/create waits
// for the saga a bounded time; if it answered pending, the saga may still be running, and
// pay/create waits for it too (payOrderWaitMs, 2 s by default).

/** pay/create with the reply's Retry-After header (the shared client keeps only status and body). */
async function payCreate(token: string, body: unknown) {
  const res = await fetch(`${apiUrl}/api/pay/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after') };
}

describe('pay/create right after order/create', () => {
  beforeAll(signIn);

  it('answers the payment, even though the saga had not finished when it was asked', async () => {
    const user = await registerAndLogin('Quick payer');
    const pid = await createProduct({ amount: 5 });
    for (let i = 0; i < 3; i++) {
      const created = await post('/api/order/create', { uid: user.id, pid, amount: 5, status: 0 }, bearer(user.token));
      expect(created.body).toMatchObject({ status: 0 }); // pending, or awaiting payment once create saw the saga end
      const pay = await payCreate(user.token, { uid: user.id, oid: created.body.id, amount: 5 });
      expect(pay).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
      expect((await settledOrder(user.token, created.body.id)).payment_id).toBe(pay.body.id);
    }
  });

  // A slow saga step is a local-cloud fault; a deployed stage has none to inject.
  it.skipIf(!awsEndpoint)('answers 409 ORDER_PENDING with Retry-After when the saga is slower than the wait', async () => {
    const user = await registerAndLogin('Early payer');
    const pid = await createProduct({ amount: 5 });
    // Slower than order/create's wait (5 s in the tests) and pay/create's (2 s) together.
    await injectFaults('Products/ReserveStock', 1, { delayMs: 9_000 });
    const created = await post('/api/order/create', { pid, amount: 5 }, bearer(user.token));
    expect(created.body).toMatchObject({ state: 'pending' });
    const started = Date.now();
    const early = await payCreate(user.token, { oid: created.body.id, amount: 5 });
    const waited = Date.now() - started;
    expect(early).toMatchObject({ status: 409, body: { code: 'ORDER_PENDING', message: expect.any(String) }, retryAfter: '1' });
    expect(waited).toBeGreaterThanOrEqual(1500); // it did wait (about 2 s) before giving up
    expect(waited).toBeLessThan(5000);
    // Retrying as told works once the saga is done.
    const order = await settledOrder(user.token, created.body.id);
    expect(order).toMatchObject({ state: 'awaiting_payment', status: 0 });
    expect(await payCreate(user.token, { oid: order.id, amount: 5 })).toMatchObject({ status: 200, body: { id: order.payment_id } });
  });
});
