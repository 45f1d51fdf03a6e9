import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin } from './client';
import { awaitingOrder, pay } from './fulfilment-helpers';
import { awsEndpoint } from './local-cloud';
import { admin, createProduct, signIn } from './order-helpers';

// Order lists by state (issue 12): the buyer's (lebron's GET /api/order/list, ByUser) and the
// admin's (GET /api/order/admin/list, ByState), paged with a cursor and is_end.

beforeAll(signIn);

type Page = { orders: Array<{ id: number; state: string }>; is_end: boolean; order_time: number };

/** Every page of a list, following `order_time`, until `is_end`. */
async function allPages(route: string, query: Record<string, string | number>, headers: Record<string, string>) {
  const pages: Page[] = [];
  let cursor = 0;
  for (let i = 0; i < 50; i++) {
    const reply = await get<Page>(route, { ...query, cursor }, headers);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    pages.push(reply.body);
    if (reply.body.is_end) return pages;
    cursor = reply.body.order_time;
  }
  throw new Error('the list never ended');
}
const idsOf = (pages: Page[]) => pages.flatMap((p) => p.orders.map((o) => o.id));

describe.skipIf(!awsEndpoint)('order lists by state (pays through the sandbox callback)', () => {
  it("the buyer's list filters by state and pages without repeats; the POST list answers as before", async () => {
    const buyer = await registerAndLogin('Lister');
    const pid = await createProduct();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await awaitingOrder(buyer, pid));
    for (const id of ids.slice(0, 3)) await pay(buyer, id);
    await post('/api/order/ship', { id: ids[0], carrier: 'SF Express', tracking_no: `TRK-${ids[0]}` }, admin);
    const newestFirst = [...ids].reverse();

    const paid = await allPages('/api/order/list', { state: 'paid', ps: 1 }, bearer(buyer.token));
    expect(idsOf(paid)).toEqual([ids[2], ids[1]]);
    expect(paid.every((p) => p.orders.every((o) => o.state === 'paid'))).toBe(true);
    const unpaid = await allPages('/api/order/list', { state: 'awaiting_payment', ps: 2 }, bearer(buyer.token));
    expect(idsOf(unpaid)).toEqual([ids[4], ids[3]]);
    expect(idsOf(await allPages('/api/order/list', { state: 'shipped' }, bearer(buyer.token)))).toEqual([ids[0]]);
    expect(idsOf(await allPages('/api/order/list', { state: 'completed' }, bearer(buyer.token)))).toEqual([]);

    const everything = await allPages('/api/order/list', { ps: 2 }, bearer(buyer.token));
    expect(idsOf(everything)).toEqual(newestFirst);
    expect(everything.map((p) => p.orders.length)).toEqual([2, 2, 1]);
    expect(everything.at(-1)!.is_end).toBe(true);

    // go-zero-mall's POST list: a bare array, paged by the last order's cursor, unchanged.
    const first = await post('/api/order/list', { ps: 3 }, bearer(buyer.token));
    expect(first.body.map((o: { id: number }) => o.id)).toEqual(newestFirst.slice(0, 3));
    const rest = await post('/api/order/list', { ps: 3, cursor: first.body[2].cursor }, bearer(buyer.token));
    expect(rest.body.map((o: { id: number }) => o.id)).toEqual(newestFirst.slice(3));
    expect(first.body[0]).toMatchObject({ id: ids[4], state: 'awaiting_payment', status: 0 });

    // Another user sees none of them; a bad state or cursor is 400.
    const other = await registerAndLogin('Other');
    expect((await get<Page>('/api/order/list', {}, bearer(other.token))).body).toEqual({ orders: [], is_end: true, order_time: 0 });
    expect((await get('/api/order/list', { state: 'lost' }, bearer(buyer.token))).status).toBe(400);
    expect((await get('/api/order/list', { cursor: 'x' }, bearer(buyer.token))).status).toBe(400);
  });

  it('an admin lists orders by state, oldest in that state first, across pages without repeats; shoppers may not', async () => {
    const buyer = await registerAndLogin('Buyer');
    const pid = await createProduct();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await awaitingOrder(buyer, pid));
    for (const id of ids) await pay(buyer, id);

    const paidIds = idsOf(await allPages('/api/order/admin/list', { state: 'paid', ps: 3 }, admin));
    expect(new Set(paidIds).size).toBe(paidIds.length); // no repeats
    expect(paidIds.filter((id) => ids.includes(id))).toEqual(ids); // oldest paid first

    await post('/api/order/ship', { id: ids[1], carrier: 'SF Express', tracking_no: `TRK-${ids[1]}` }, admin);
    const stillPaid = idsOf(await allPages('/api/order/admin/list', { state: 'paid', ps: 2 }, admin));
    expect(stillPaid.filter((id) => ids.includes(id))).toEqual([ids[0], ids[2], ids[3]]);
    const shipped = idsOf(await allPages('/api/order/admin/list', { state: 'shipped', ps: 50 }, admin));
    expect(shipped).toContain(ids[1]);
    expect(shipped).not.toContain(ids[0]);

    expect(await get('/api/order/admin/list', { state: 'paid' }, bearer(buyer.token))).toMatchObject({
      status: 403,
      body: { code: 'ADMIN_ONLY' },
    });
    expect(await get('/api/order/admin/list', { state: 'pending' }, admin)).toMatchObject({
      status: 400,
      body: { code: 'STATE_NOT_LISTED' },
    });
    expect((await get('/api/order/admin/list', {}, admin)).status).toBe(400);
  });
});
