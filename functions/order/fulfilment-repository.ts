import { type DynamoDBDocumentClient, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { listKeyOf, OPEN_SHARDS, type OrderRecord, stateKeysOf, stateShardPk, toOrderRecord, updateOrderIf, userPkOf } from './order-table';
import type { OrderState } from './schemas';

/** Queries of a user's orders with a state filter, per page (each reads up to 100 of their orders). */
const MAX_USER_READS = 5;

/** A move along the fulfilment path: from one state to the next, with the fields it stamps (times in Unix ms). */
export type FulfilmentStep =
  | { to: 'shipped'; from: 'paid'; at: number; carrier: string; trackingNo: string }
  | { to: 'received'; from: 'shipped'; at: number; by: 'buyer' | 'auto'; uid?: number }
  | { to: 'completed'; from: 'received'; at: number };

/**
 * Orders from payment on (issue 12): the conditional writes that ship, receive and complete an
 * order, and the ByState index they keep, read by the admin's list and by the sweeper.
 */
export class FulfilmentRepository {
  readonly shards = OPEN_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pageSize = 100,
  ) {}

  /**
   * Moves the order one step, only from the step's `from` state (and, for a buyer's receipt, only
   * their own order): the order as now stored, or undefined if the condition did not hold.
   */
  async move(id: number, step: FulfilmentStep): Promise<OrderRecord | undefined> {
    const keys = stateKeysOf(id, step.to, step.at)!;
    const stamps: Record<string, unknown> =
      step.to === 'shipped'
        ? { carrier: step.carrier, trackingNo: step.trackingNo, shippedAt: step.at }
        : step.to === 'received'
          ? { receivedAt: step.at, receivedBy: step.by }
          : { completedAt: step.at };
    const fields = { ...stamps, ...keys, updatedAt: step.at };
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':to': step.to, ':from': step.from };
    Object.entries(fields).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
    });
    let condition = '#state = :from';
    if (step.to === 'received' && step.uid !== undefined) {
      names['#uid'] = 'uid';
      values[':uid'] = step.uid;
      condition += ' AND #uid = :uid';
    }
    return updateOrderIf(this.db, this.table, id, {
      UpdateExpression: `SET #state = :to, ${Object.keys(fields)
        .map((_, i) => `#f${i} = :v${i}`)
        .join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /**
   * One shard's orders in `state` that entered it before `before` (Unix ms), oldest first, page
   * after page: what the sweeper auto-receives (shipped) and completes (received).
   */
  async *enteredBefore(state: OrderState, shard: number, before: number): AsyncIterable<OrderRecord[]> {
    const pages = paginateQuery(
      { client: this.db, pageSize: this.pageSize },
      {
        TableName: this.table,
        IndexName: 'ByState',
        KeyConditionExpression: 'statePk = :p AND stateKey < :before',
        ExpressionAttributeValues: { ':p': stateShardPk(state, shard), ':before': before * 1000 },
      },
    );
    for await (const page of pages) yield (page.Items ?? []).map(toOrderRecord);
  }

  /**
   * A page of the orders in `state`, oldest in that state first, after `cursor` (a ByState sort
   * key; 0 for the first page): every shard is read for `pageSize + 1` and the results merged,
   * so `isEnd` is exact. `next` is the sort key of the page's last order.
   */
  async inState(state: OrderState, cursor: number, pageSize: number): Promise<{ orders: OrderRecord[]; isEnd: boolean; next: number }> {
    const shards = await Promise.all(
      Array.from({ length: this.shards }, async (_, shard) => {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'ByState',
            KeyConditionExpression: 'statePk = :p AND stateKey > :c',
            ExpressionAttributeValues: { ':p': stateShardPk(state, shard), ':c': cursor },
            Limit: pageSize + 1,
          }),
        );
        return out.Items ?? [];
      }),
    );
    const merged = shards.flat().sort((a, b) => (a.stateKey as number) - (b.stateKey as number));
    const taken = merged.slice(0, pageSize);
    return {
      orders: taken.map(toOrderRecord),
      isEnd: merged.length <= pageSize,
      next: taken.length ? (taken[taken.length - 1]!.stateKey as number) : cursor,
    };
  }

  /**
   * A page of the user's visible orders in `state`, newest first, after `cursor` (a ByUser sort
   * key; 0 for the first page). ByUser is read with a filter, at most MAX_USER_READS queries per
   * page, so a page may be short: `next` is where reading stopped, `isEnd` whether nothing is left.
   */
  async userInState(uid: number, state: OrderState | undefined, cursor: number, pageSize: number) {
    const found: OrderRecord[] = [];
    let start = cursor;
    for (let reads = 0; reads < MAX_USER_READS; reads++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'ByUser',
          KeyConditionExpression: `userPk = :u${start > 0 ? ' AND listKey < :c' : ''}`,
          ...(state ? { FilterExpression: '#state = :s', ExpressionAttributeNames: { '#state': 'state' } } : {}),
          ExpressionAttributeValues: { ':u': userPkOf(uid), ...(start > 0 ? { ':c': start } : {}), ...(state ? { ':s': state } : {}) },
          ScanIndexForward: false,
          Limit: state ? this.pageSize : pageSize + 1,
        }),
      );
      found.push(...(out.Items ?? []).map(toOrderRecord));
      if (found.length > pageSize) {
        const orders = found.slice(0, pageSize);
        return { orders, isEnd: false, next: listKeyOf(orders[pageSize - 1]!) };
      }
      if (!out.LastEvaluatedKey) return { orders: found, isEnd: true, next: found.length ? listKeyOf(found[found.length - 1]!) : cursor };
      start = out.LastEvaluatedKey.listKey as number;
    }
    return { orders: found, isEnd: false, next: start };
  }
}
