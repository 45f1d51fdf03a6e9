import { DeleteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { productKey, SHARE } from '../../functions/product/catalog-table';
import { CategoryRepository } from '../../functions/product/category-repository';
import { ContentRepository } from '../../functions/product/content-repository';
import { confirmSale, releaseStock, reserveStock } from '../../functions/product/inventory';
import { type ProductRecord, ProductRepository } from '../../functions/product/product-repository';
import type { Catalog } from '../../functions/product/product-service';
import { MAX_STOCK_SHARDS, ON_SALE } from '../../functions/product/schemas';
import { SearchRepository } from '../../functions/product/search-repository';
import { type Reservation, StockRepository } from '../../functions/product/stock-repository';
import { stageConfig } from '../../infra/config';
import { Barrier } from '../../shared/barrier';
import { localTable } from './local-table';

// The largest reservation the order limits allow, through inventory's own steps against a real
// DynamoDB engine: reserved, sold, then released (a paid order cancelled). DynamoDB refuses a
// transaction of more than 100 items, and a refused release is retried forever with the units lost.
let local: Awaited<ReturnType<typeof localTable>>;
let db: DynamoDBDocumentClient;
let repo: Catalog;
let barrier: Barrier;
const TABLE = 'Catalog';
const { maxLines } = stageConfig('prod', {}).orderLimits;

beforeAll(async () => {
  local = await localTable(TABLE);
  db = local.db;
  repo = {
    products: new ProductRepository(db, TABLE),
    stock: new StockRepository(db, TABLE),
    content: new ContentRepository(db, TABLE),
    categories: new CategoryRepository(db, TABLE),
    search: new SearchRepository(db, TABLE),
  };
  barrier = new Barrier(db, TABLE);
}, 120_000);

afterAll(() => local?.stop());

async function product(id: number, stock: number, sales: number) {
  const now = Date.now();
  const record: ProductRecord = {
    id,
    name: `product ${id}`,
    desc: '',
    amount: 100,
    status: ON_SALE,
    category: 'general',
    categoryId: 0,
    subtitle: '',
    images: [],
    detail: '',
    searchTerms: [],
    stockShards: MAX_STOCK_SHARDS,
    sales,
    createdAt: now,
    updatedAt: now,
    recommendedAt: now,
  };
  await repo.products.createProduct(record, stock);
}
/** Each product's sales count and its sales index key. */
async function salesOf(ids: number[]) {
  return Promise.all(
    ids.map(async (id) => {
      const { Item } = await db.send(new GetCommand({ TableName: TABLE, Key: productKey(id), ConsistentRead: true }));
      return { sales: Item?.sales as number, salesKey: Item?.salesKey as number };
    }),
  );
}
const shardsOf = async (ids: number[]) => repo.stock.shards(await repo.products.getProducts(ids, true), true);

describe('releasing stock', () => {
  it('the largest reservation the order limits allow is reserved, confirmed and released in full, each in one transaction', async () => {
    // As many products as an order has lines, 16 shards each: shard 0 holds 2 units, the others 1.
    // From a random start at shard 1 the order takes 99 shard writes (its release: 120 items);
    // fullest first, one fewer per product: 79 = 100 - 1 - 20, the most whose release fits.
    const ids = Array.from({ length: maxLines }, (_, i) => 1001 + i);
    const writes = 100 - 1 - maxLines;
    const nums = ids.map((_, i) => Math.floor(writes / maxLines) + 1 + (i < writes % maxLines ? 1 : 0));
    for (const id of ids) await product(id, MAX_STOCK_SHARDS + 1, 7);
    const stockBefore = await shardsOf(ids);
    const salesBefore = await salesOf(ids);
    expect(stockBefore.get(ids[0]!)).toEqual([2, ...new Array(MAX_STOCK_SHARDS - 1).fill(1)]);

    const gid = 'order-largest';
    vi.spyOn(Math, 'random').mockReturnValue(1 / MAX_STOCK_SHARDS);
    try {
      const items = ids.map((pid, i) => ({ pid, num: nums[i]! }));
      expect(await reserveStock(repo, barrier, gid, items)).toEqual({ outcome: 'SUCCESS' });
    } finally {
      vi.restoreAllMocks();
    }
    expect(await confirmSale(repo, barrier, gid)).toBe('confirmed');
    expect(await salesOf(ids)).toEqual(salesBefore.map((s, i) => ({ sales: s.sales + nums[i]!, salesKey: s.salesKey + nums[i]! * SHARE })));

    expect(await releaseStock(repo, barrier, gid)).toEqual({ outcome: 'SUCCESS' });
    expect(await shardsOf(ids)).toEqual(stockBefore);
    expect(await salesOf(ids)).toEqual(salesBefore);
    // The release wrote the barrier's mark, 79 shards and 20 products: 100 items.
    const reserved = await barrier.actionData<{ reservations: Reservation[] }>(gid, 'stock');
    expect(reserved?.reservations).toHaveLength(writes);
  });

  it('fails loudly when a placed order reserved but its barrier is gone: only the barrier says which shards', async () => {
    await product(2001, 10, 0);
    const gid = 'order-forgotten';
    expect(await reserveStock(repo, barrier, gid, [{ pid: 2001, num: 3 }])).toEqual({ outcome: 'SUCCESS' });
    await db.send(new DeleteCommand({ TableName: TABLE, Key: { pk: `BARRIER#${gid}#stock`, sk: 'action' } }));
    await expect(releaseStock(repo, barrier, gid, true)).rejects.toThrow('barrier is missing');
    // Nothing was written, so a delivery after someone gave the stock back by hand can still pass.
    expect(await barrier.actionData(gid, 'stock')).toBeUndefined();
    // A run that never got as far as reserving is empty, as before.
    expect(await releaseStock(repo, barrier, 'order-never-reserved', false)).toEqual({ outcome: 'SUCCESS' });
  });
});
