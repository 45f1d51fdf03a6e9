import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, endRun, fireSchedule, injectFaults, sagaWorkflow } from './local-cloud';
import { admin, createProduct, order, signIn, stockOf } from './order-helpers';

// The sweeper: every order that is not final is found again and driven to a final state.

beforeAll(signIn);

const detail = async (token: string, id: number) => (await post('/api/order/detail', { id }, bearer(token))).body;
const HOUR = 3_600_000;

/** A new user's order of `num` of a new product (stock 10), awaiting payment. */
async function awaitingOrder(num: number) {
  const user = await registerAndLogin();
  const pid = await createProduct({ stock: 10 });
  const created = await order(user.token, { pid, num });
  expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'awaiting_payment' });
  return { user, pid, created };
}

describe.skipIf(!awsEndpoint)("the sweeper (needs the local cloud's fault injection and schedules)", () => {
  it('an order cancelled while awaiting payment whose cancel run stopped is driven to cancelled, its stock back', async () => {
    const { user, pid, created } = await awaitingOrder(3);
    expect(await stockOf(pid)).toBe(7);

    await injectFaults('Products/ReleaseStock', 1_000_000); // the cancel run keeps retrying ReleaseStock...
    expect((await post('/api/order/cancel', { id: created.id }, bearer(user.token))).body.state).toBe('cancelling');
    const ended = await endRun(`cancel-${created.id}`); // ...until it is aborted (Standard) or times out (Express)
    await injectFaults('Products/ReleaseStock', 0);
    expect(ended.status).toBe(ended.type === 'EXPRESS' ? 'TIMED_OUT' : 'ABORTED');
    expect(await detail(user.token, created.id)).toMatchObject({ state: 'cancelling' });

    await fireSchedule('Orders/SweepSchedule', new Date()); // not yet past the bound: left alone
    expect(await detail(user.token, created.id)).toMatchObject({ state: 'cancelling' });
    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + HOUR)); // an hour later
    expect(await settledOrder(user.token, created.id, 30_000)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    expect(await stockOf(pid)).toBe(10);
  });
});

describe.skipIf(!awsEndpoint)("stuck compensations (needs the local cloud's fault injection)", () => {
  it('an order whose compensation keeps failing is listed for the admin, and no longer once it succeeds', async () => {
    const { user, created } = await awaitingOrder(1);
    const stuck = async (query: Record<string, string>) =>
      ((await get('/api/order/stuck', query, admin)).body.orders as Array<{ id: number; last_error?: unknown }>).filter(
        (o) => o.id === created.id,
      );

    await injectFaults('Products/ReleaseStock', 1_000_000);
    await post('/api/order/cancel', { id: created.id }, bearer(user.token));
    expect(await stuck({})).toEqual([]); // not for 15 minutes (the local stage's limit)
    // Express keeps no history to read the last error from (its errors are in the state machine's log).
    const withHistory = (await sagaWorkflow()) === 'STANDARD';
    const deadline = Date.now() + 30_000; // until ReleaseStock has failed once
    while (withHistory && !(await stuck({ older_than_minutes: '0' }))[0]?.last_error && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await stuck({ older_than_minutes: '0' })).toEqual([
      {
        id: created.id,
        uid: user.id,
        run: `cancel-${created.id}`,
        reason: 'CANCELLED_BY_USER',
        since: expect.any(Number),
        ...(withHistory
          ? { last_error: { error: 'ServiceUnavailable', cause: 'fault injected by the local cloud', time: expect.any(Number) } }
          : {}),
      },
    ]);
    expect((await get('/api/order/stuck', { older_than_minutes: 'soon' }, admin)).status).toBe(400);
    expect((await get('/api/order/stuck', {}, bearer(user.token))).status).toBe(403);

    await injectFaults('Products/ReleaseStock', 0);
    expect(await settledOrder(user.token, created.id, 120_000)).toMatchObject({ state: 'cancelled' });
    expect(await stuck({ older_than_minutes: '0' })).toEqual([]);
  });
});
