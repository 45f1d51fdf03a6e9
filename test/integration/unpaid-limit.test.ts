import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouponQuotes } from '../../functions/coupon/client';
import { OrderRepository } from '../../functions/order/order-repository';
import { createOrder, type OrderDeps } from '../../functions/order/order-service';
import type { Catalog } from '../../functions/product/client';
import { localTables, tableSpec } from './local-tables';

// The unpaid-order limit against a real DynamoDB engine: one user's simultaneous creates all
// write the same count item. In DynamoDB their transactions then meet (TransactionConflict, nothing
// written) and must be tried again; DynamoDB Local runs transactions one at a time and never
// answers that, so `conflicts` makes the repository answer it for the first tries.

let tables: Awaited<ReturnType<typeof localTables>>;
let deps: OrderDeps;
let conflicts = 0;

/** The real repository, except that the next `conflicts` creates meet another write. */
class ContendedOrders extends OrderRepository {
  override async create(...args: Parameters<OrderRepository['create']>) {
    if (conflicts > 0) {
      conflicts--;
      return { contended: true as const };
    }
    return super.create(...args);
  }
}

beforeAll(async () => {
  tables = await localTables(
    tableSpec('Orders', [
      ['ByUser', 'userPk', 'listKey'],
      ['ByOpen', 'openPk', 'openKey'],
    ]),
  );
  deps = {
    orders: new ContendedOrders(tables.db, 'Orders'),
    catalog: { products: async (ids: number[]) => ids.map((id) => ({ id, name: 'x', price: 100, removed: false })) } as unknown as Catalog,
    coupons: {} as CouponQuotes,
    saga: { start: async () => {}, status: async () => 'SUCCEEDED', lastError: async () => undefined },
    payments: {} as OrderDeps['payments'],
    limits: { maxOpenPerUser: 10, maxUnitsPerProduct: 99, maxLines: 20, maxUnits: 200 },
    addresses: { address: async () => null },
  };
}, 120_000);

afterAll(() => tables?.stop());

describe('the unpaid-order limit', () => {
  it('lets exactly 10 of 30 simultaneous creates of one user through, 20 of their tries meeting another; the rest are refused with 409, none fails', async () => {
    conflicts = 20;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => createOrder(deps, { uid: 7, role: 'user' } as never, { pid: 1, num: 1, fromCart: false } as never)),
    );
    const tally: Record<string, number> = {};
    for (const o of outcomes) {
      const seen = o.status === 'fulfilled' ? 'placed' : String((o.reason as { code?: string }).code ?? o.reason);
      tally[seen] = (tally[seen] ?? 0) + 1;
    }
    expect(tally).toEqual({ placed: 10, TOO_MANY_OPEN_ORDERS: 20 });
  });
});
