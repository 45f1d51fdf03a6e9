import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, fireSchedule, injectFaults, stepFunctions } from './local-cloud';
import { createProduct, order, signIn, stockOf } from './order-helpers';

// The sweeper: every order that is not final is found again and driven to a final state.

beforeAll(signIn);

const detail = async (token: string, id: number) => (await post('/api/order/detail', { id }, bearer(token))).body;
const HOUR = 3_600_000;

describe.skipIf(!awsEndpoint)("the sweeper (needs the local cloud's fault injection and schedules)", () => {
  it('an order cancelled while awaiting payment whose cancel run stopped is driven to cancelled, its stock back', async () => {
    const user = await registerAndLogin();
    const pid = await createProduct({ stock: 10 });
    const created = await order(user.token, { pid, num: 3 });
    expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'awaiting_payment' });
    expect(await stockOf(pid)).toBe(7);

    await injectFaults('Products/ReleaseStock', 1_000_000); // the cancel run keeps retrying ReleaseStock...
    expect((await post('/api/order/cancel', { id: created.id }, bearer(user.token))).body.state).toBe('cancelling');
    const { executions } = await stepFunctions('ListExecutions', {});
    const run = executions.find((e: { name: string }) => e.name === `cancel-${created.id}`);
    await stepFunctions('StopExecution', { executionArn: run.executionArn }); // ...until it is aborted
    await injectFaults('Products/ReleaseStock', 0);
    expect((await stepFunctions('DescribeExecution', { executionArn: run.executionArn })).status).toBe('ABORTED');
    expect(await detail(user.token, created.id)).toMatchObject({ state: 'cancelling' });

    await fireSchedule('Orders/SweepSchedule', new Date()); // not yet past the bound: left alone
    expect(await detail(user.token, created.id)).toMatchObject({ state: 'cancelling' });
    await fireSchedule('Orders/SweepSchedule', new Date(Date.now() + HOUR)); // an hour later
    expect(await settledOrder(user.token, created.id)).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
    expect(await stockOf(pid)).toBe(10);
  });
});
