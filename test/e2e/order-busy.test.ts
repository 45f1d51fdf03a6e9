import { beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, bearer, registerAndLogin } from './client';
import { awsEndpoint, injectFaults } from './local-cloud';
import { createProduct, signIn } from './order-helpers';

// A busy or slow dependency under an order create: the client gets 503 SERVICE_BUSY with
// Retry-After, never a 500 or API Gateway's 502, and retrying with the same Idempotency-Key
// returns the one order.

beforeAll(signIn);

/** The raw reply, headers included (the client's Reply keeps only status and body). */
async function create(token: string, pid: number, key: string) {
  const res = await fetch(`${apiUrl}/api/order/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...bearer(token) },
    body: JSON.stringify({ pid, num: 1 }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
}

describe.skipIf(!awsEndpoint)("a busy dependency (needs the local cloud's fault injection)", () => {
  it('the catalogue timing out: 503 SERVICE_BUSY with Retry-After; the retry with the same key makes one order', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 10 });
    const key = `busy-${pid}`;
    await injectFaults('Products/BatchGet', 1, { errorType: 'Sandbox.Timedout' });
    const busy = await create(user.token, pid, key);
    expect(busy).toEqual({ status: 503, retryAfter: '1', body: { code: 'SERVICE_BUSY', message: 'the service is busy, retry shortly' } });
    const retried = await create(user.token, pid, key);
    expect(retried.status).toBe(200);
    expect((await create(user.token, pid, key)).body.id).toBe(retried.body.id);
  });

  it('the catalogue answering later than the create can wait: 503 before the Lambda timeout, not a 502', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 10 });
    await injectFaults('Products/BatchGet', 1, { delayMs: 12_000 });
    const late = await create(user.token, pid, `late-${pid}`);
    expect(late).toMatchObject({ status: 503, retryAfter: '1', body: { code: 'SERVICE_BUSY' } });
  }, 30_000);
});
