import { BatchGetCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { RETRY, retry } from '../../shared/retry';

/**
 * The catalogue table: every item keyed by (pk, sk).
 *   PRODUCT#<id> / PRODUCT       a product; while it is on sale and not removed it also carries
 *                                the keys of the list indexes (sparse indexes): ByRecommend
 *                                (recPk, recKey), ByNewest (catPk, newKey), ByPrice (catPk,
 *                                priceKey), BySales (catPk, salesKey)      product-repository.ts
 *                                (catPk: CATID#<category id>, or CAT#<name> for a free-text one)
 *   STOCK#<id>#<k> / STOCK       shard k of the product's available stock   stock-repository.ts
 *   COMMENTS#<id> / <key>        a comment, sorted by its time key          content-repository.ts
 *   BANNERS / BANNER#<id>        a home banner                              content-repository.ts
 *   FLASHSALE / CURRENT          the current flash sale                     content-repository.ts
 *   CATEGORIES / CAT#<id>        a category, with its children and products counts
 *                                                                          category-repository.ts
 *   TERM#<word> / <newKey>       the search index: a product on sale with that word
 *                                (written in the product's transaction)     search-repository.ts
 *   COUNTER#<kind> / COUNTER     id allocators (shared/ids.ts)
 *   BARRIER#<gid>#stock / <op>   the saga's barriers (shared/barrier.ts)
 * No request path scans. The keys of the items are written here, once.
 */
export const productKey = (id: number) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });
export const shardKey = (id: number, shard: number) => ({ pk: `STOCK#${id}#${shard}`, sk: 'STOCK' });
export const shardOf = (item: { pk: string }) => Number(item.pk.split('#')[2]);
export const counterKey = (kind: string) => ({ pk: `COUNTER#${kind}`, sk: 'COUNTER' });

/** Items of several products share one partition and sort key space: sort values of different ids never tie. */
export const SHARE = 1_000_000;

/**
 * A unique, time-ordered number: Unix microseconds, whose sub-millisecond digits are taken from
 * the id, so two records of the same millisecond still sort apart and cursors never tie.
 */
export function timeKey(ms: number, id: number): number {
  return ms * 1000 + (id % 1000);
}

/** A page of a list, and the cursor of the next. */
export interface Page<T> {
  items: T[];
  isEnd: boolean;
  /** Sort value of the last item: the next page's cursor (0 when the page is empty). */
  last: number;
}

/** BatchGetItem in chunks of 100, retrying unprocessed keys. Order of results is not kept. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Array<Record<string, string>>,
  consistent: boolean,
): Promise<Array<Record<string, NativeAttributeValue>>> {
  const results: Array<Record<string, NativeAttributeValue>> = [];
  const policy = { attempts: 10, baseDelayMs: 50, exhausted: () => new Error('BatchGetItem kept returning unprocessed keys') };
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Array<Record<string, NativeAttributeValue>> = keys.slice(i, i + 100);
    await retry(policy, async () => {
      const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }));
      results.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
      return pending.length ? RETRY : undefined;
    });
  }
  return results;
}
