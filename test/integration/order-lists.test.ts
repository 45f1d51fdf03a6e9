import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FulfilmentRepository } from '../../functions/order/fulfilment-repository';
import { OrderRepository } from '../../functions/order/order-repository';
import type { OrderState } from '../../functions/order/schemas';
import { localTables, tableSpec } from './local-tables';
import { awaitingOrderItem, putItems } from './order-items';

// The lists by state (issue 12) against a real DynamoDB engine, with small pages so the paths a
// shop reaches only with hundreds of orders are run: the buyer's filtered list stopping after
// its reads (a short page, continued from where it stopped), and ByState's shards merged.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
const TABLE = 'Orders';

beforeAll(async () => {
  tables = await localTables(
    tableSpec(TABLE, [
      ['ByUser', 'userPk', 'listKey'],
      ['ByState', 'statePk', 'stateKey'],
    ]),
  );
  db = tables.db;
}, 120_000);

afterAll(() => tables?.stop());

/** `count` orders of `uid` awaiting payment, created one ms apart. */
async function awaiting(uid: number, firstId: number, count: number) {
  const created = Date.now() - 3_600_000;
  const items = Array.from({ length: count }, (_, i) => awaitingOrderItem(firstId + i, uid, created + i, created + 1_800_000));
  await putItems(db, TABLE, items);
  return items.map((o) => o.id);
}

describe('order lists by state', () => {
  it("the buyer's filtered list: short pages when matches are sparse, never a repeat or a gap", async () => {
    const ids = await awaiting(7, 1_000, 40);
    const orders = new OrderRepository(db, TABLE);
    const paid = ids.filter((_, i) => i % 13 === 0); // 4 of 40, 13 apart
    for (const id of paid) expect(await orders.transition(id, ['awaiting_payment'], 'paid', { paidAt: Date.now() })).toBe(true);
    // Reads of 3 orders at a time, at most 5 per page: a page reads 15 orders at most.
    const lists = new FulfilmentRepository(db, TABLE, 3);
    const seen: number[] = [];
    const pageSizes: number[] = [];
    let cursor = 0;
    for (let n = 0; n < 20; n++) {
      const page = await lists.userInState(7, 'paid', cursor, 2);
      seen.push(...page.orders.map((o) => o.id));
      pageSizes.push(page.orders.length);
      expect(page.orders.every((o) => o.state === 'paid')).toBe(true);
      if (page.isEnd) break;
      cursor = page.next;
    }
    expect(seen).toEqual([...paid].reverse()); // newest first, each once
    expect(pageSizes.some((s) => s < 2)).toBe(true); // some pages stopped after their reads
    const all = await lists.userInState(7, undefined as OrderState | undefined, 0, 50);
    expect(all.orders).toHaveLength(40);
    expect(all.isEnd).toBe(true);
  });

  it("the admin's list merges ByState's shards: oldest paid first, pages without repeats, is_end exact", async () => {
    const ids = await awaiting(8, 2_000, 21);
    const orders = new OrderRepository(db, TABLE);
    for (const id of ids) {
      expect(await orders.transition(id, ['awaiting_payment'], 'paid', { paidAt: Date.now() })).toBe(true);
      await new Promise((r) => setTimeout(r, 2)); // distinct times: the order they were paid in
    }
    const lists = new FulfilmentRepository(db, TABLE);
    const seen: number[] = [];
    let cursor = 0;
    for (let n = 0; n < 20; n++) {
      const page = await lists.inState('paid', cursor, 4);
      seen.push(...page.orders.map((o) => o.id));
      if (page.isEnd) {
        expect(page.orders.length).toBeLessThanOrEqual(4);
        break;
      }
      expect(page.orders).toHaveLength(4);
      cursor = page.next;
    }
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    // A paid order leaves the paid list when it moves on, and only then.
    expect(await lists.move(ids[0]!, { to: 'shipped', from: 'paid', at: Date.now(), carrier: 'SF', trackingNo: 'T-1' })).toMatchObject({
      state: 'shipped',
    });
    expect((await lists.inState('paid', 0, 50)).orders.map((o) => o.id)).not.toContain(ids[0]);
    expect((await lists.inState('shipped', 0, 50)).orders.map((o) => o.id)).toEqual([ids[0]]);
    // A second ship from paid fails its condition.
    expect(await lists.move(ids[0]!, { to: 'shipped', from: 'paid', at: Date.now(), carrier: 'SF', trackingNo: 'T-2' })).toBeUndefined();
  });
});
