import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, post, registerAndLogin, settledOrder } from './client';
import { paidOrder } from './fulfilment-helpers';
import { awsEndpoint, eventsSettled } from './local-cloud';
import { admin, createProduct, signIn } from './order-helpers';
import { paymentOf, productOf } from './refund-helpers';

// A buyer's cancel against an admin's ship (issue 12): a paid order is either shipped or
// cancelled and refunded, never both, and the money and the stock follow whichever won.

beforeAll(signIn);

const ship = (id: number) => post('/api/order/ship', { id, carrier: 'SF Express', tracking_no: `TRK-${id}` }, admin);
const cancel = (token: string, id: number) => post('/api/order/cancel', { id }, bearer(token));

describe.skipIf(!awsEndpoint)('cancel and ship', () => {
  it('refuses to cancel a shipped order: it stays shipped, paid and not refunded', async () => {
    const pid = await createProduct({ stock: 10 });
    const { buyer, id } = await paidOrder(undefined, pid);
    expect((await ship(id)).status).toBe(200);
    expect(await cancel(buyer.token, id)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CANCELLABLE' } });
    await eventsSettled();
    expect((await post('/api/order/detail', { id }, bearer(buyer.token))).body).toMatchObject({ state: 'shipped', status: 40 });
    const payment = await paymentOf(buyer.token, id);
    expect(payment).toMatchObject({ state: 'paid' });
    expect(payment).not.toHaveProperty('refunds');
    expect(await productOf(pid)).toMatchObject({ stock: 9, sales: 1 });
  });

  it('a buyer cancel racing an admin ship: exactly one wins on each order, and money and stock follow it', async () => {
    const buyer = await registerAndLogin('Racer');
    const pid = await createProduct({ stock: 10 });
    const orders: number[] = [];
    for (let i = 0; i < 4; i++) orders.push((await paidOrder(buyer, pid)).id);
    const replies = await Promise.all(orders.map((id) => Promise.all([cancel(buyer.token, id), ship(id)])));
    await eventsSettled();
    let shippedCount = 0;
    for (const [i, [cancelled, shipped]] of replies.entries()) {
      const id = orders[i]!;
      expect([cancelled.status, shipped.status].sort()).toEqual([200, 409]); // one wins, the other is refused
      const final =
        cancelled.status === 200
          ? await settledOrder(buyer.token, id)
          : (await post('/api/order/detail', { id }, bearer(buyer.token))).body;
      const payment = await paymentOf(buyer.token, id);
      if (shipped.status === 200) {
        shippedCount++;
        expect(final).toMatchObject({ state: 'shipped' });
        expect(payment).toMatchObject({ state: 'paid' });
      } else {
        expect(final).toMatchObject({ state: 'cancelled', reason: 'CANCELLED_BY_USER' });
        expect(payment).toMatchObject({ state: 'refunded', refunded_amount: payment.amount });
      }
    }
    await eventsSettled();
    // Shipped orders keep their unit and their sale; cancelled ones give both back.
    expect(await productOf(pid)).toMatchObject({ stock: 10 - shippedCount, sales: shippedCount });
  });
});
