import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin, settledOrder } from './client';
import { admin, createProduct, order, signIn, statusTally } from './order-helpers';

// The address book (user service) over real HTTP, and the copy an order keeps of its address.

beforeAll(signIn);

type Headers = Record<string, string>;
let n = 0;
const fields = (extra: Record<string, unknown> = {}) => ({
  name: `Ann ${++n}`,
  phone: '13900000001',
  province: 'Zhejiang',
  city: 'Hangzhou',
  district: 'Xihu',
  detail: `${n} Wensan Road`,
  ...extra,
});
const add = (who: Headers, extra: Record<string, unknown> = {}) => post('/api/user/address/add', fields(extra), who);
async function added(who: Headers, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await add(who, extra);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}
const list = async (who: Headers) => {
  const reply = await get('/api/user/address/list', {}, who);
  expect(reply.status).toBe(200);
  return reply.body.addresses as Array<{ id: number; is_default: boolean; name: string }>;
};
const defaults = async (who: Headers) => (await list(who)).filter((a) => a.is_default).map((a) => a.id);
const shopper = async () => bearer((await registerAndLogin('Addressee')).token);

describe('the address book', () => {
  it('adds (the first is the default), lists the default first, updates, sets the default and removes', async () => {
    const me = await shopper();
    expect(await list(me)).toEqual([]);
    const a = await added(me);
    expect(a).toEqual({
      id: expect.any(Number),
      name: a.name,
      phone: '13900000001',
      province: 'Zhejiang',
      city: 'Hangzhou',
      district: 'Xihu',
      detail: a.detail,
      is_default: true,
      create_time: expect.any(Number),
      update_time: expect.any(Number),
    });
    const b = await added(me);
    const c = await added(me);
    expect([b.is_default, c.is_default]).toEqual([false, false]);
    expect((await list(me)).map((x) => x.id)).toEqual([a.id, c.id, b.id]);

    const updated = await post('/api/user/address/update', { id: b.id, detail: '  9 Moganshan Road ', phone: '+8613900000009' }, me);
    expect(updated).toEqual({
      status: 200,
      body: { ...b, detail: '9 Moganshan Road', phone: '+8613900000009', update_time: expect.any(Number) },
    });

    expect(await post('/api/user/address/set-default', { id: c.id }, me)).toMatchObject({
      status: 200,
      body: { id: c.id, is_default: true },
    });
    expect(await defaults(me)).toEqual([c.id]);
    expect((await list(me)).map((x) => x.id)).toEqual([c.id, b.id, a.id]);

    // Removing the default makes the newest remaining one (b) the default.
    expect(await post('/api/user/address/remove', { id: c.id }, me)).toEqual({ status: 200, body: {} });
    expect(await defaults(me)).toEqual([b.id]);
    expect(await post('/api/user/address/remove', { id: a.id }, me)).toEqual({ status: 200, body: {} });
    expect(await defaults(me)).toEqual([b.id]);
    expect(await post('/api/user/address/remove', { id: b.id }, me)).toEqual({ status: 200, body: {} });
    expect(await list(me)).toEqual([]);
    // Removed is gone; the next address is the default again.
    expect((await post('/api/user/address/remove', { id: b.id }, me)).body.code).toBe('ADDRESS_NOT_FOUND');
    expect((await added(me)).is_default).toBe(true);
    // is_default: true on add makes a later address the default.
    const d = await added(me, { is_default: true });
    expect(await defaults(me)).toEqual([d.id]);
  });

  it("answers 404 ADDRESS_NOT_FOUND for another user's address, and leaves it alone", async () => {
    const [owner, other] = await Promise.all([shopper(), shopper()]);
    const mine = await added(owner);
    for (const [route, body] of [
      ['update', { id: mine.id, name: 'Mallory' }],
      ['remove', { id: mine.id }],
      ['set-default', { id: mine.id }],
    ] as const) {
      const reply = await post(`/api/user/address/${route}`, body, other);
      expect(reply, route).toEqual({ status: 404, body: { code: 'ADDRESS_NOT_FOUND', message: 'address not found' } });
    }
    expect(await list(other)).toEqual([]);
    expect(await list(owner)).toEqual([mine]);
  });

  it('refuses a bad phone, empty or too long fields, unknown fields and an update without fields', async () => {
    const me = await shopper();
    const refused = async (route: string, body: Record<string, unknown>, field: string) => {
      const reply = await post(`/api/user/address/${route}`, body, me);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.code).toBe('INVALID_INPUT');
      expect(reply.body.message).toContain(field);
    };
    await refused('add', fields({ phone: '12-34' }), 'phone');
    await refused('add', fields({ phone: '139000000011390000000' }), 'phone');
    await refused('add', fields({ name: '   ' }), 'name');
    await refused('add', fields({ detail: 'x'.repeat(201) }), 'detail');
    await refused('add', fields({ zipcode: '310000' }), 'zipcode');
    const { province: _, ...noProvince } = fields();
    await refused('add', noProvince, 'province');
    const a = await added(me);
    await refused('update', { id: a.id }, 'at least one');
    await refused('update', { id: a.id, phone: 'call me' }, 'phone');
    await refused('update', { id: a.id, is_default: false }, 'is_default');
    await refused('set-default', { id: a.id, uid: 1 }, 'uid');
    expect(await list(me)).toEqual([a]);
  });

  it('holds at most 20: with 12 in the book, 25 concurrent adds make exactly 20 (8 pass, 17 get 409 ADDRESS_BOOK_FULL), with one default', async () => {
    // Warm several environments of add first (another user's book), so the adds below really run side by side.
    const warm = await shopper();
    await Promise.all(Array.from({ length: 12 }, () => add(warm)));
    const me = await shopper();
    for (let i = 0; i < 12; i++) await added(me);
    const replies = await Promise.all(Array.from({ length: 25 }, () => add(me)));
    expect(statusTally(replies)).toEqual({ '200': 8, '409 ADDRESS_BOOK_FULL': 17 });
    const book = await list(me);
    expect(book).toHaveLength(20);
    expect(book.filter((a) => a.is_default)).toHaveLength(1);
    // The 21st, once more, on its own.
    expect((await add(me)).body.code).toBe('ADDRESS_BOOK_FULL');
    // Room again after a remove.
    await post('/api/user/address/remove', { id: book[5]!.id }, me);
    expect((await add(me)).status).toBe(200);
  });

  it('keeps exactly one default under concurrent set-defaults and removes', async () => {
    const me = await shopper();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await added(me)).id);
    const setAll = await Promise.all(ids.map((id) => post('/api/user/address/set-default', { id }, me)));
    expect(statusTally(setAll)).toEqual({ '200': 10 });
    const [winner] = await defaults(me);
    expect(ids).toContain(winner);

    // Remove the default and the four newest others (the next default's candidates) while setting
    // the default to each of the others, all at once.
    const others = ids.filter((id) => id !== winner);
    const removed = [winner!, ...others.slice(-4)];
    const replies = await Promise.all([
      ...removed.map((id) => post('/api/user/address/remove', { id }, me)),
      ...others.map((id) => post('/api/user/address/set-default', { id }, me)),
    ]);
    expect(replies.slice(0, removed.length).every((r) => r.status === 200)).toBe(true);
    // A set-default of an address removed meanwhile is 404; none fails otherwise.
    expect(replies.slice(removed.length).every((r) => r.status === 200 || r.body.code === 'ADDRESS_NOT_FOUND')).toBe(true);
    const book = await list(me);
    expect(book.map((a) => a.id).sort()).toEqual(others.slice(0, -4).sort());
    expect(book.filter((a) => a.is_default)).toHaveLength(1);
  });

  it('removing the default and the next default at once leaves the one remaining as the default', async () => {
    const users: Headers[] = [];
    for (let i = 0; i < 3; i++) users.push(await shopper()); // one at a time: register hashes with 128 MiB
    const rounds = await Promise.all(
      users.map(async (me) => {
        const outcomes = [];
        for (let round = 0; round < 4; round++) {
          const a = await added(me, { is_default: true });
          const b = await added(me);
          const c = await added(me);
          // a is the default; removing it alone would make c (the newest) the default, but c goes too.
          const replies = await Promise.all([a, c].map(({ id }) => post('/api/user/address/remove', { id }, me)));
          const book = await list(me);
          outcomes.push({ replies: replies.map((r) => r.status), book: book.map((x) => [x.id, x.is_default]), b: b.id });
          await post('/api/user/address/remove', { id: b.id }, me);
        }
        return outcomes;
      }),
    );
    for (const { replies, book, b } of rounds.flat()) {
      expect(replies).toEqual([200, 200]);
      expect(book).toEqual([[b, true]]);
    }
  });
});

describe('the address an order keeps', () => {
  const addressOf = ({ is_default: _d, create_time: _c, update_time: _u, ...copy }: any) => copy;

  it('copies the given address, or the default without one; editing the book later changes no order', async () => {
    const { token } = await registerAndLogin('Buyer');
    const me = bearer(token);
    const pid = await createProduct({ amount: 500 });
    const home = await added(me);
    const office = await added(me);

    const toOffice = await order(token, { pid, num: 1, address_id: office.id });
    const toDefault = await order(token, { pid, num: 1 });
    expect((await settledOrder(token, toOffice.id)).address).toEqual(addressOf(office));
    expect((await settledOrder(token, toDefault.id)).address).toEqual(addressOf(home));

    // Edit and remove the book's entries: the orders keep their copies.
    await post('/api/user/address/update', { id: office.id, detail: 'moved away', name: 'Someone else' }, me);
    await post('/api/user/address/remove', { id: home.id }, me);
    expect((await post('/api/order/detail', { id: toOffice.id }, me)).body.address).toEqual(addressOf(office));
    expect((await post('/api/order/detail', { id: toDefault.id }, me)).body.address).toEqual(addressOf(home));
    // The new default (office, edited) goes into the next order.
    const next = await order(token, { pid, num: 1 });
    expect((await post('/api/order/detail', { id: next.id }, me)).body.address).toMatchObject({ id: office.id, detail: 'moved away' });
  });

  it('leaves address out for a user without an address book (go-zero-mall clients)', async () => {
    const { token, id } = await registerAndLogin('Plain');
    const pid = await createProduct({ amount: 500 });
    const created = await order(token, { uid: id, pid, amount: 500, status: 0 });
    const detail = await settledOrder(token, created.id);
    expect(detail.state).toBe('awaiting_payment');
    expect(detail).not.toHaveProperty('address');
  });

  it("refuses another user's address_id with 404 ADDRESS_NOT_FOUND and creates no order", async () => {
    const [buyer, other] = await Promise.all([registerAndLogin('Buyer'), registerAndLogin('Other')]);
    const theirs = await added(bearer(other.token));
    await added(bearer(buyer.token));
    const pid = await createProduct({ amount: 500, stock: 5 });
    const reply = await post('/api/order/create', { pid, num: 1, address_id: theirs.id }, bearer(buyer.token));
    expect(reply).toEqual({ status: 404, body: { code: 'ADDRESS_NOT_FOUND', message: 'address not found' } });
    expect((await post('/api/order/list', {}, bearer(buyer.token))).body).toEqual([]);
    expect((await post('/api/product/detail', { id: pid }, admin)).body.stock).toBe(5);
  });
});
