import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import { batchGetAll, counterKey, type Page, productKey, SHARE, timeKey } from './catalog-table';
import { ON_SALE, type Sort } from './schemas';
import { newShards, resetShards } from './stock-repository';

/** The product list indexes (sparse: only listed products carry their keys). */
const INDEXES = {
  recommend: { name: 'ByRecommend', partition: 'recPk', sort: 'recKey' },
  newest: { name: 'ByNewest', partition: 'catPk', sort: 'newKey' },
  price: { name: 'ByPrice', partition: 'catPk', sort: 'priceKey' },
  sales: { name: 'BySales', partition: 'catPk', sort: 'salesKey' },
} as const;

const productRecord = z.object({
  id: z.number(),
  name: z.string(),
  desc: z.string(),
  amount: z.number(),
  status: z.number(),
  category: z.string(),
  stockShards: z.number(),
  sales: z.number().default(0),
  /** Unix milliseconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
  recommendedAt: z.number(),
  removedAt: z.number().optional(),
});
export type ProductRecord = z.infer<typeof productRecord>;

/** Optimistic writes that lost a race to another writer. */
export class ConcurrentUpdateError extends Error {}

/** Index keys of a listed product; none for one that is off sale or removed (sparse indexes). */
function listingKeys(p: ProductRecord): Record<string, string | number> {
  if (p.status !== ON_SALE || p.removedAt) return {};
  const tie = p.id % SHARE;
  return {
    recPk: 'RECOMMEND',
    recKey: timeKey(p.recommendedAt, p.id),
    catPk: `CAT#${p.category}`,
    newKey: timeKey(p.createdAt, p.id),
    priceKey: p.amount * SHARE + tie,
    salesKey: p.sales * SHARE + tie,
  };
}

/** Products, with their stock shards when a product is created or its stock is set, and the product lists. */
export class ProductRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, counterKey('product'));
  }

  nextProductId(): Promise<number> {
    return this.ids.nextId();
  }

  /** The product and its stock shards, in one transaction. */
  async createProduct(product: ProductRecord, stock: number): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...productKey(product.id), ...product, ...listingKeys(product) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...newShards(this.table, product.id, stock, product.stockShards),
        ],
      }),
    );
  }

  async getProduct(id: number, consistent = true): Promise<ProductRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: productKey(id), ConsistentRead: consistent }));
    return out.Item ? recordOf(productRecord, out.Item) : undefined;
  }

  async getProducts(ids: number[], consistent: boolean): Promise<ProductRecord[]> {
    const items = await batchGetAll(this.db, this.table, [...new Set(ids)].map(productKey), consistent);
    return items.map((item) => recordOf(productRecord, item));
  }

  /**
   * Replaces a product read earlier (`previous`), and, when `stock` is given, sets its total
   * available stock across `next.stockShards` shards, all in one transaction. Fails with
   * ConcurrentUpdateError if the product or a shard changed since it was read.
   */
  async replaceProduct(previous: ProductRecord, next: ProductRecord, stock?: { total: number; current: number[] }): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...productKey(next.id), ...next, ...listingKeys(next) },
                ConditionExpression: 'updatedAt = :seen',
                ExpressionAttributeValues: { ':seen': previous.updatedAt },
              },
            },
            ...(stock ? resetShards(this.table, next.id, next.stockShards, stock) : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConcurrentUpdateError();
      throw error;
    }
  }

  async listProducts(
    index: keyof typeof INDEXES | Sort,
    partition: string,
    cursor: number,
    pageSize: number,
  ): Promise<Page<ProductRecord>> {
    const spec = INDEXES[index === 'price_desc' ? 'price' : index];
    const ascending = index === 'price';
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: spec.name,
      KeyConditionExpression: `#p = :p${cursor > 0 ? ` AND #s ${ascending ? '>' : '<'} :cursor` : ''}`,
      ExpressionAttributeNames: { '#p': spec.partition, ...(cursor > 0 ? { '#s': spec.sort } : {}) },
      ExpressionAttributeValues: { ':p': partition, ...(cursor > 0 ? { ':cursor': cursor } : {}) },
      ScanIndexForward: ascending,
      Limit: pageSize + 1,
    };
    const out = await this.db.send(new QueryCommand(input));
    const items = out.Items ?? [];
    const page = items.slice(0, pageSize);
    return {
      items: page.map((item) => recordOf(productRecord, item)),
      isEnd: items.length <= pageSize,
      last: page.length ? Number(page[page.length - 1]![spec.sort]) : 0,
    };
  }
}
