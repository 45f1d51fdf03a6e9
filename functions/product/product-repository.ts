import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { TransactItem } from '../../shared/barrier';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import { batchGetAll, counterKey, type Page, productKey, SHARE, timeKey } from './catalog-table';
import { categoryUseItems } from './category-repository';
import { ON_SALE, type Sort } from './schemas';
import { postingItems } from './search-repository';
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
  /** The category's name (categoryId's when it has one; else go-zero-mall's free text). */
  category: z.string(),
  /** 0: none (a product made before categories were records, or given only a `category` name). */
  categoryId: z.number().default(0),
  subtitle: z.string().default(''),
  /** https URLs, in display order. */
  images: z.array(z.string()).default([]),
  detail: z.string().default(''),
  /** The words the search index holds it under while on sale (search-terms.ts). */
  searchTerms: z.array(z.string()).default([]),
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
/** The category a product was given was removed or turned off meanwhile. */
export class CategoryUnavailableError extends Error {}

/** The category a product counts on: none once removed. */
const countedCategory = (p: ProductRecord | undefined) => (p && !p.removedAt ? p.categoryId : 0);

/**
 * What goes with every write of a product, in its transaction, right after the product's own
 * item: the category counters (category-repository.ts), then the search index's postings
 * (search-repository.ts). `categories` is how many of them are category items.
 */
function companions(table: string, previous: ProductRecord | undefined, next: ProductRecord) {
  const categories = categoryUseItems(table, countedCategory(previous), countedCategory(next));
  return { items: [...categories, ...postingItems(table, previous, next)], categories: categories.length };
}

/** A failed condition on a category item (indexes 1..categories) is the category's; any other, a concurrent writer's. */
function cancellation(error: unknown, categories: number): Error {
  if (!(error instanceof TransactionCanceledException)) return error as Error;
  const reasons = error.CancellationReasons ?? [];
  if (reasons.some((r, i) => i > 0 && i <= categories && r.Code === 'ConditionalCheckFailed')) return new CategoryUnavailableError();
  return new ConcurrentUpdateError();
}

/** A category's products: by id for a product that has one, by go-zero-mall's free-text name otherwise. */
export const categoryPartition = (p: { categoryId: number; category: string }) =>
  p.categoryId ? `CATID#${p.categoryId}` : `CAT#${p.category}`;

/** Index keys of a listed product; none for one that is off sale or removed (sparse indexes). */
function listingKeys(p: ProductRecord): Record<string, string | number> {
  if (p.status !== ON_SALE || p.removedAt) return {};
  const tie = p.id % SHARE;
  return {
    recPk: 'RECOMMEND',
    recKey: timeKey(p.recommendedAt, p.id),
    catPk: categoryPartition(p),
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
  createProduct(product: ProductRecord, stock: number): Promise<void> {
    const isNew = { ConditionExpression: 'attribute_not_exists(pk)' };
    return this.write(undefined, product, isNew, newShards(this.table, product.id, stock, product.stockShards));
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
  replaceProduct(previous: ProductRecord, next: ProductRecord, stock?: { total: number; current: number[] }): Promise<void> {
    const unchanged = { ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': previous.updatedAt } };
    return this.write(previous, next, unchanged, stock ? resetShards(this.table, next.id, next.stockShards, stock) : []);
  }

  /** The product's item (on `condition`), its companions (category counters, search postings) and `shards`, in one transaction. */
  private async write(
    previous: ProductRecord | undefined,
    next: ProductRecord,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
    shards: TransactItem[],
  ): Promise<void> {
    const extra = companions(this.table, previous, next);
    const item = { ...productKey(next.id), ...next, ...listingKeys(next) };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: this.table, Item: item, ...condition } }, ...extra.items, ...shards],
        }),
      );
    } catch (error) {
      throw cancellation(error, extra.categories);
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
