import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../../shared/barrier';
import { timeKey } from './catalog-table';
import { ON_SALE } from './schemas';

/**
 * The search index, in the catalogue table: one item per (word, product on sale),
 *   TERM#<word> / <newKey, 17 digits>   { pid, terms }
 * where newKey is the product's creation key (unique, the ByNewest sort value), so every word's
 * postings are sorted the same way (newest first) and one cursor pages any of them. `terms` is
 * every word the product is indexed under, so a query for several words reads one word's postings
 * and filters by the others on the server. Written in the product's own transaction
 * (product-repository.ts): a product off sale or removed has no postings.
 */
const termKey = (term: string, newKey: number) => ({ pk: `TERM#${term}`, sk: String(newKey).padStart(17, '0') });

/** What the index needs of a product. */
export interface Indexed {
  id: number;
  createdAt: number;
  status: number;
  removedAt?: number;
  searchTerms?: string[];
}

const indexedTerms = (p: Indexed | undefined) => (p && p.status === ON_SALE && !p.removedAt ? (p.searchTerms ?? []) : []);

/**
 * The writes that take the index from `previous` to `next` (previous undefined: a new product):
 * every posting of `next` (each carries the full word list, so all are rewritten when it changes)
 * and a delete of each word it no longer has. None when nothing the index holds changed.
 */
export function postingItems(table: string, previous: Indexed | undefined, next: Indexed): TransactItem[] {
  const before = indexedTerms(previous);
  const after = indexedTerms(next);
  if (before.length === after.length && before.every((t, i) => t === after[i])) return [];
  const key = timeKey(next.createdAt, next.id);
  const kept = new Set(after);
  return [
    ...after.map((term) => ({ Put: { TableName: table, Item: { ...termKey(term, key), pid: next.id, terms: after } } })),
    ...before.filter((term) => !kept.has(term)).map((term) => ({ Delete: { TableName: table, Key: termKey(term, key) } })),
  ];
}

/** A page of matches: product ids, newest first. */
export interface SearchPage {
  ids: number[];
  isEnd: boolean;
  /** The next page's cursor: the key of the last posting read (0 when nothing was read). */
  last: number;
}

/** Postings read per request at most: a page of an intersection may come back short (never wrong), with is_end false. */
const MAX_READS = 4;
const READ_SIZE = 100;

export class SearchRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * How many products each word has, counted up to `cap` (a bounded probe, not a full count):
   * the query reads the rarest word's postings.
   */
  async counts(terms: string[], cap: number): Promise<number[]> {
    return Promise.all(
      terms.map(async (term) => {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `TERM#${term}` },
            Select: 'COUNT',
            Limit: cap,
          }),
        );
        return out.Count ?? 0;
      }),
    );
  }

  /**
   * Products indexed under `driver` and every word of `others`, newest first, after `cursor`
   * (a posting key; 0: from the newest). Reads `driver`'s postings with the others as a filter.
   */
  async find(driver: string, others: string[], cursor: number, pageSize: number): Promise<SearchPage> {
    const ids: number[] = [];
    const keys: number[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    let scanned = cursor;
    for (let reads = 0; reads < MAX_READS; reads++) {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: `pk = :pk${cursor > 0 ? ' AND sk < :cursor' : ''}`,
          ...(others.length ? { FilterExpression: others.map((_, i) => `contains(terms, :t${i})`).join(' AND ') } : {}),
          ExpressionAttributeValues: {
            ':pk': `TERM#${driver}`,
            ...(cursor > 0 ? { ':cursor': String(cursor).padStart(17, '0') } : {}),
            ...Object.fromEntries(others.map((term, i) => [`:t${i}`, term])),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: others.length ? READ_SIZE : pageSize + 1,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        ids.push(Number(item.pid));
        keys.push(Number(item.sk));
      }
      start = out.LastEvaluatedKey;
      if (ids.length > pageSize) return { ids: ids.slice(0, pageSize), isEnd: false, last: keys[pageSize - 1]! };
      if (!start) return { ids, isEnd: true, last: keys.at(-1) ?? 0 };
      scanned = Number(start.sk);
    }
    // Read budget spent: what was found, and a cursor after the last posting read.
    return { ids, isEnd: false, last: scanned };
  }
}
