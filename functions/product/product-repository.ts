import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { ON_SALE, type Sort } from './schemas';

/**
 * The catalogue table: every item keyed by (pk, sk).
 *   PRODUCT#<id> / PRODUCT       a product; while it is on sale and not removed it also carries
 *                                the keys of the list indexes below (sparse indexes)
 *   STOCK#<id>#<k> / STOCK       shard k of the product's available stock (see setStock)
 *   COMMENTS#<id> / <key>        a comment, sorted by its time key
 *   BANNERS / BANNER#<id>        a home banner
 *   FLASHSALE / CURRENT          the current flash sale
 *   COUNTER#<kind> / COUNTER     id allocators
 * Indexes: ByRecommend (recPk, recKey), ByNewest (catPk, newKey), ByPrice (catPk, priceKey),
 * BySales (catPk, salesKey). No request path scans.
 */
export const INDEXES = {
  recommend: { name: 'ByRecommend', partition: 'recPk', sort: 'recKey' },
  newest: { name: 'ByNewest', partition: 'catPk', sort: 'newKey' },
  price: { name: 'ByPrice', partition: 'catPk', sort: 'priceKey' },
  sales: { name: 'BySales', partition: 'catPk', sort: 'salesKey' },
} as const;

export interface ProductRecord {
  id: number;
  name: string;
  desc: string;
  amount: number;
  status: number;
  category: string;
  stockShards: number;
  sales: number;
  /** Unix milliseconds. */
  createdAt: number;
  updatedAt: number;
  recommendedAt: number;
  removedAt?: number;
}

/** Stock taken from one shard by one order. */
export interface Reservation {
  pid: number;
  shard: number;
  num: number;
}

export interface Banner {
  id: number;
  title: string;
  image_url: string;
  link_url: string;
  sort: number;
}

export interface CommentRecord {
  id: number;
  product_id: number;
  content: string;
  images: string[];
  user: { id: number; name: string; avatar: string };
  /** The cursor value: Unix microseconds, unique per comment. */
  comment_time: number;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  isEnd: boolean;
  /** Sort value of the last item: the next page's cursor (0 when the page is empty). */
  last: number;
}

/** Optimistic writes that kept losing a race to other writers. */
export class ConcurrentUpdateError extends Error {}

const SHARE = 1_000_000;

/**
 * A unique, time-ordered number: Unix microseconds, whose sub-millisecond digits are taken from
 * the id, so two records of the same millisecond still sort apart and cursors never tie.
 */
export function timeKey(ms: number, id: number): number {
  return ms * 1000 + (id % 1000);
}

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

const productKey = (id: number) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });
const shardKey = (id: number, shard: number) => ({ pk: `STOCK#${id}#${shard}`, sk: 'STOCK' });
const commentSortKey = (key: number) => String(key).padStart(17, '0');

function toRecord(item: Record<string, NativeAttributeValue>): ProductRecord {
  return {
    id: item.id,
    name: item.name,
    desc: item.desc,
    amount: item.amount,
    status: item.status,
    category: item.category,
    stockShards: item.stockShards,
    sales: item.sales ?? 0,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    recommendedAt: item.recommendedAt,
    ...(item.removedAt ? { removedAt: item.removedAt } : {}),
  };
}

/** Spreads `total` over `shards` items as evenly as possible. */
export function splitStock(total: number, shards: number): number[] {
  return Array.from({ length: shards }, (_, k) => Math.floor(total / shards) + (k < total % shards ? 1 : 0));
}

export class CatalogRepository {
  private readonly productIds: IdAllocator;
  private readonly commentIds: IdAllocator;
  private readonly bannerIds: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    const counter = (kind: string) => new IdAllocator(db, table, { pk: `COUNTER#${kind}`, sk: 'COUNTER' });
    this.productIds = counter('product');
    this.commentIds = counter('comment');
    this.bannerIds = counter('banner');
  }

  nextProductId(): Promise<number> {
    return this.productIds.nextId();
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
          ...splitStock(stock, product.stockShards).map((available, k) => ({
            Put: { TableName: this.table, Item: { ...shardKey(product.id, k), productId: product.id, available } },
          })),
        ],
      }),
    );
  }

  async getProduct(id: number, consistent = true): Promise<ProductRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: productKey(id), ConsistentRead: consistent }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /**
   * Replaces a product read earlier (`previous`), and, when `stock` is given, sets its total
   * available stock across `next.stockShards` shards, all in one transaction. Fails with
   * ConcurrentUpdateError if the product or a shard changed since it was read.
   */
  async replaceProduct(previous: ProductRecord, next: ProductRecord, stock?: { total: number; current: number[] }): Promise<void> {
    const shardWrites = stock
      ? [
          ...splitStock(stock.total, next.stockShards).map((available, k) => ({
            Put: {
              TableName: this.table,
              Item: { ...shardKey(next.id, k), productId: next.id, available },
              ...(k < stock.current.length
                ? { ConditionExpression: 'available = :old', ExpressionAttributeValues: { ':old': stock.current[k] } }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          })),
          ...stock.current.slice(next.stockShards).map((old, k) => ({
            Delete: {
              TableName: this.table,
              Key: shardKey(next.id, next.stockShards + k),
              ConditionExpression: 'available = :old',
              ExpressionAttributeValues: { ':old': old },
            },
          })),
        ]
      : [];
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
            ...shardWrites,
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConcurrentUpdateError();
      throw error;
    }
  }

  /**
   * Takes `reservations` (shard by shard) in one transaction with the saga's barrier, each shard
   * conditioned on having enough left.
   */
  reserve(barrier: Barrier, gid: string, reservations: Reservation[]) {
    return barrier.action(
      gid,
      'stock',
      { reservations },
      reservations.map((r) => ({
        Update: {
          TableName: this.table,
          Key: shardKey(r.pid, r.shard),
          UpdateExpression: 'ADD available :minus',
          ConditionExpression: 'available >= :n',
          ExpressionAttributeValues: { ':minus': -r.num, ':n': r.num },
        },
      })),
    );
  }

  /** Gives back what the saga's reservation took, if it took anything. */
  release(barrier: Barrier, gid: string) {
    return barrier.compensate<{ reservations: Reservation[] }>(gid, 'stock', ({ reservations }) =>
      reservations.map((r) => ({
        Update: {
          TableName: this.table,
          Key: shardKey(r.pid, r.shard),
          UpdateExpression: 'ADD available :n',
          ExpressionAttributeValues: { ':n': r.num },
        },
      })),
    );
  }

  /**
   * Inventory's Confirm (seed 004): the order's reservation is sold. Counts the sale on each
   * product (sales, and the sales index key) once per order: a confirm barrier in the same
   * transaction makes a redelivered or replayed event a no-op. Nothing to confirm if the saga
   * never reserved (or its reservation was released).
   */
  async confirmSale(barrier: Barrier, gid: string): Promise<'confirmed' | 'already-confirmed' | 'nothing-reserved'> {
    const reserved = await barrier.actionData<{ reservations: Reservation[] }>(gid, 'stock');
    if (!reserved) return 'nothing-reserved';
    const sold = new Map<number, number>();
    for (const r of reserved.reservations) sold.set(r.pid, (sold.get(r.pid) ?? 0) + r.num);
    const outcome = await barrier.once(
      gid,
      'stock',
      'confirm',
      [...sold].map(([pid, num]) => ({
        Update: {
          TableName: this.table,
          Key: productKey(pid),
          // updatedAt moves too, so an admin's concurrent read-modify-write cannot undo the count.
          UpdateExpression:
            'SET sales = if_not_exists(sales, :zero) + :n, salesKey = if_not_exists(salesKey, :tie) + :key, updatedAt = updatedAt + :one',
          ExpressionAttributeValues: { ':zero': 0, ':n': num, ':tie': pid % SHARE, ':key': num * SHARE, ':one': 1 },
        },
      })),
    );
    if (outcome === 'refused') throw new Error(`confirming the sale of ${gid} was refused`);
    return outcome === 'done' ? 'confirmed' : 'already-confirmed';
  }

  /** Available stock per shard, for each product (shard counts taken from the records). */
  async stockShards(products: ProductRecord[], consistent: boolean): Promise<Map<number, number[]>> {
    const keys = products.flatMap((p) => Array.from({ length: p.stockShards }, (_, k) => shardKey(p.id, k)));
    const items = await this.batchGet(keys, consistent);
    const result = new Map<number, number[]>(products.map((p) => [p.id, new Array<number>(p.stockShards).fill(0)]));
    for (const item of items) {
      const shard = Number(String(item.pk).split('#')[2]);
      const shards = result.get(item.productId);
      if (shards && shard < shards.length) shards[shard] = item.available;
    }
    return result;
  }

  async getProducts(ids: number[], consistent: boolean): Promise<ProductRecord[]> {
    const items = await this.batchGet([...new Set(ids)].map(productKey), consistent);
    return items.map(toRecord);
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
      items: page.map(toRecord),
      isEnd: items.length <= pageSize,
      last: page.length ? Number(page[page.length - 1]![spec.sort]) : 0,
    };
  }

  async addComment(comment: Omit<CommentRecord, 'id' | 'comment_time'>): Promise<CommentRecord> {
    const id = await this.commentIds.nextId();
    const record: CommentRecord = { ...comment, id, comment_time: timeKey(comment.createdAt, id) };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `COMMENTS#${comment.product_id}`, sk: commentSortKey(record.comment_time), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  async listComments(productId: number, cursor: number, pageSize: number): Promise<Page<CommentRecord>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: `pk = :p${cursor > 0 ? ' AND sk < :cursor' : ''}`,
        ExpressionAttributeValues: { ':p': `COMMENTS#${productId}`, ...(cursor > 0 ? { ':cursor': commentSortKey(cursor) } : {}) },
        ScanIndexForward: false,
        Limit: pageSize + 1,
      }),
    );
    const items = (out.Items ?? []) as Array<CommentRecord & { pk: string; sk: string }>;
    const page = items.slice(0, pageSize).map(({ pk: _pk, sk: _sk, ...comment }) => comment);
    return { items: page, isEnd: items.length <= pageSize, last: page.at(-1)?.comment_time ?? 0 };
  }

  async listBanners(): Promise<Banner[]> {
    const out = await this.db.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'BANNERS' } }),
    );
    return (out.Items ?? [])
      .map((i) => ({ id: i.id, title: i.title, image_url: i.image_url, link_url: i.link_url, sort: i.sort }))
      .sort((a, b) => a.sort - b.sort || a.id - b.id);
  }

  /** Creates a banner, or replaces an existing one; false if `id` names no banner. */
  async saveBanner(banner: Omit<Banner, 'id'> & { id?: number }): Promise<Banner | undefined> {
    const id = banner.id ?? (await this.bannerIds.nextId());
    const saved = { ...banner, id };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'BANNERS', sk: `BANNER#${id}`, ...saved },
          ConditionExpression: banner.id ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (conditionFailed(error) && banner.id) return undefined;
      throw error;
    }
    return saved;
  }

  async removeBanner(id: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: 'BANNERS', sk: `BANNER#${id}` } }));
  }

  async getFlashSale(): Promise<{ startTime: number; productIds: number[] } | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: 'FLASHSALE', sk: 'CURRENT' } }));
    return out.Item ? { startTime: out.Item.startTime, productIds: out.Item.productIds } : undefined;
  }

  async setFlashSale(startTime: number, productIds: number[]): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: 'FLASHSALE', sk: 'CURRENT', startTime, productIds, updatedAt: Date.now() } }),
    );
  }

  /** BatchGetItem in chunks of 100, retrying unprocessed keys. Order of results is not kept. */
  private async batchGet(keys: Array<Record<string, string>>, consistent: boolean): Promise<Array<Record<string, NativeAttributeValue>>> {
    const results: Array<Record<string, NativeAttributeValue>> = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Array<Record<string, NativeAttributeValue>> | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error('BatchGetItem kept returning unprocessed keys');
        const out: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        results.push(...(out.Responses?.[this.table] ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return results;
  }
}
