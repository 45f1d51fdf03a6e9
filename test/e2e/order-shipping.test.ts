import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, registerAndLogin } from './client';
import { awaitingOrder, DAY, detailOf, paidOrder } from './fulfilment-helpers';
import { awsEndpoint, fireSchedule } from './local-cloud';
import { admin, signIn, statusTally } from './order-helpers';

// Shipping to completion (issue 12): paid -> shipped (admin) -> received (buyer, or the sweeper
// 10 days after shipping) -> completed (the sweeper, 7 days after receipt). The sweeper is fired
// with a chosen time through the local cloud's hook.

beforeAll(signIn);

const SWEEP = 'Orders/SweepSchedule';
const ship = (id: number, tracking = `TRK-${id}`, carrier = 'SF Express', headers = admin) =>
  post('/api/order/ship', { id, carrier, tracking_no: tracking }, headers);
const receive = (token: string, id: number) => post('/api/order/receive', { id }, bearer(token));
const sweepAt = (time: number) => fireSchedule(SWEEP, new Date(time));

describe.skipIf(!awsEndpoint)('shipping to completion (fires the sweeper with a chosen time)', () => {
  it('a whole life: order -> pay -> ship -> receive -> completed after the return window, each step timestamped', async () => {
    const { buyer, id } = await paidOrder();
    const shipped = await ship(id, 'SF1234567890');
    expect(shipped.body).toMatchObject({ id, state: 'shipped', status: 40, carrier: 'SF Express', tracking_no: 'SF1234567890' });
    expect(shipped.body.shipped_at).toBeGreaterThan(0);
    expect(shipped.body).not.toHaveProperty('received_at');

    const received = await receive(buyer.token, id);
    expect(received.body).toMatchObject({ id, state: 'received', status: 50, received_by: 'buyer', shipped_at: shipped.body.shipped_at });
    const receivedAt = received.body.received_at as number;
    expect(receivedAt).toBeGreaterThanOrEqual(shipped.body.shipped_at);

    await sweepAt(Date.now() + 6 * DAY); // within the 7-day return window: still received
    expect(await detailOf(buyer.token, id)).toMatchObject({ state: 'received' });
    await sweepAt(Date.now() + 8 * DAY);
    const done = await detailOf(buyer.token, id);
    expect(done).toMatchObject({ state: 'completed', status: 50, received_at: receivedAt, received_by: 'buyer' });
    expect(done.completed_at).toBeGreaterThanOrEqual(receivedAt + 7 * 86_400);
    // Repeats change nothing: the same ship, the same receipt, another sweep.
    expect((await ship(id, 'SF1234567890')).body).toEqual(done);
    expect((await receive(buyer.token, id)).body).toEqual(done);
    await sweepAt(Date.now() + 30 * DAY);
    expect(await detailOf(buyer.token, id)).toEqual(done);
  });

  it('the sweeper receives an order 10 days after shipping, not before', async () => {
    const { buyer, id } = await paidOrder();
    await ship(id);
    await sweepAt(Date.now() + 9 * DAY);
    expect(await detailOf(buyer.token, id)).toMatchObject({ state: 'shipped' });
    const at = Date.now() + 11 * DAY;
    await sweepAt(at);
    const received = await detailOf(buyer.token, id);
    expect(received).toMatchObject({ state: 'received', status: 50, received_by: 'auto', received_at: Math.floor(at / 1000) });
    // The buyer confirming afterwards gets the same answer, and changes nothing.
    expect((await receive(buyer.token, id)).body).toEqual(received);
    // The return window runs from the automatic receipt.
    await sweepAt(at + 6 * DAY);
    expect(await detailOf(buyer.token, id)).toMatchObject({ state: 'received' });
    await sweepAt(at + 8 * DAY);
    expect(await detailOf(buyer.token, id)).toMatchObject({ state: 'completed' });
  });

  it('refuses: shipping an unpaid or unknown order, a shopper shipping, receipt before shipping, of someone else, bad input', async () => {
    const buyer = await registerAndLogin('Buyer');
    const unpaid = await awaitingOrder(buyer);
    expect((await ship(unpaid)).body).toMatchObject({ code: 'ORDER_NOT_PAID' });
    expect((await ship(unpaid)).status).toBe(409);
    expect(await detailOf(buyer.token, unpaid)).toMatchObject({ state: 'awaiting_payment' });
    expect((await ship(999_999_999)).status).toBe(404);

    const { id } = await paidOrder(buyer);
    const shopper = await ship(id, 'TRK-1', 'SF Express', bearer(buyer.token));
    expect(shopper).toMatchObject({ status: 403, body: { code: 'ADMIN_ONLY' } });
    expect(await receive(buyer.token, id)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_SHIPPED' } });
    expect(await receive(buyer.token, unpaid)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_SHIPPED' } });

    await ship(id);
    const other = await registerAndLogin('Other');
    expect(await receive(other.token, id)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    // An admin does not confirm a buyer's receipt either.
    expect(await post('/api/order/receive', { id }, admin)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await detailOf(buyer.token, id)).toMatchObject({ state: 'shipped' });

    // Another tracking number on a shipped order; bad carriers and tracking numbers.
    expect(await ship(id, 'OTHER-TRK')).toMatchObject({ status: 409, body: { code: 'ALREADY_SHIPPED' } });
    expect((await ship(id, 'no spaces allowed')).status).toBe(400);
    expect((await post('/api/order/ship', { id, carrier: '', tracking_no: 'TRK-1' }, admin)).status).toBe(400);

    // Receipt twice: the same 200 answer, one transition.
    const first = await receive(buyer.token, id);
    expect(first).toMatchObject({ status: 200, body: { state: 'received' } });
    expect(await receive(buyer.token, id)).toEqual(first);
    // After receipt it cannot be shipped again.
    expect(await ship(id, 'OTHER-TRK')).toMatchObject({ status: 409, body: { code: 'ALREADY_SHIPPED' } });
  });

  it('races: two ships at once (one wins), and the automatic receipt racing the buyer’s (one transition, the same answers)', async () => {
    const { buyer, id } = await paidOrder();
    const ships = await Promise.all([ship(id, 'RACE-A'), ship(id, 'RACE-B'), ship(id, 'RACE-A'), ship(id, 'RACE-B')]);
    const tally = statusTally(ships);
    expect(tally, JSON.stringify(tally)).toEqual({ '200': 2, '409 ALREADY_SHIPPED': 2 });
    const winner = (await detailOf(buyer.token, id)).tracking_no;
    for (const reply of ships.filter((r) => r.status === 200)) expect(reply.body.tracking_no).toBe(winner);

    // Three shipped orders whose buyers confirm while the sweeper runs 11 days later.
    const racing = [{ buyer, id }, ...(await Promise.all([paidOrder(), paidOrder()]))];
    for (const o of racing.slice(1)) await ship(o.id);
    const at = Date.now() + 11 * DAY;
    const [manuals] = await Promise.all([Promise.all(racing.map((o) => receive(o.buyer.token, o.id))), sweepAt(at)]);
    for (const [i, o] of racing.entries()) {
      const manual = manuals[i]!;
      expect(manual.status).toBe(200);
      expect(manual.body.state).toBe('received');
      const final = await detailOf(o.buyer.token, o.id);
      // Exactly one receipt: the buyer's answer carries the stored stamps, whoever won.
      expect({ by: final.received_by, at: final.received_at }).toEqual({ by: manual.body.received_by, at: manual.body.received_at });
      if (final.received_by === 'auto') expect(final).toMatchObject({ state: 'received', received_at: Math.floor(at / 1000) });
      // The buyer's receipt (real time) is more than 7 days before the sweep's time: completed in the same run.
      else expect(final).toMatchObject({ state: 'completed', received_by: 'buyer' });
    }
  });
});
