import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed } from '../../shared/conditions';
import { OPEN_SHARDS, type OrderRecord, openShardPk, orderKey, payDueShardPk, toOrderRecord } from './order-table';

/** One shard's overdue orders, a page at a time. */
export type OverduePages = (shard: number) => AsyncIterable<OrderRecord[]>;

/**
 * What the sweeper looks at: orders overdue on one of the sharded sparse indexes ByOpen and
 * ByPayDue, page after page, and the "look again later" it gives an order it cannot act on yet.
 */
export class OverdueOrderRepository {
  readonly shards = OPEN_SHARDS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pageSize = 100,
  ) {}

  /** Pending or cancelling orders that entered that state before `before` (Unix ms). */
  openBefore(before: number): OverduePages {
    return (shard) => this.pages('ByOpen', 'openPk', 'openKey', openShardPk(shard), before);
  }

  /** Orders awaiting payment whose deadline (or next look) is before `now` (Unix ms). */
  unpaidBefore(now: number): OverduePages {
    return (shard) => this.pages('ByPayDue', 'payPk', 'payDue', payDueShardPk(shard), now);
  }

  /**
   * The sweeper looks at the order again at `at` (Unix ms), not before: an order it cannot act
   * on (its saga still running, its payment paid and the event on its way) moves out of the
   * overdue part of its index, so it never blocks the orders behind it. False if the order
   * left the state (and so the index) meanwhile.
   */
  async lookAgainAt(order: OrderRecord, at: number): Promise<boolean> {
    const sort = order.state === 'awaiting_payment' ? 'payDue' : 'openKey';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(order.id),
          UpdateExpression: 'SET #sort = :at',
          ConditionExpression: '#state = :state AND attribute_exists(#sort)',
          ExpressionAttributeNames: { '#sort': sort, '#state': 'state' },
          ExpressionAttributeValues: { ':at': at, ':state': order.state },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Orders cancelling since before `before` (Unix ms, by their last change): compensations
   * that keep failing. ByOpen holds only pending and cancelling orders, so this reads few items.
   */
  async cancellingSince(before: number): Promise<OrderRecord[]> {
    const found: OrderRecord[] = [];
    for (let shard = 0; shard < this.shards; shard++) {
      const pages = paginateQuery(
        { client: this.db, pageSize: this.pageSize },
        {
          TableName: this.table,
          IndexName: 'ByOpen',
          KeyConditionExpression: 'openPk = :p',
          FilterExpression: '#state = :cancelling AND updatedAt < :before',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':p': openShardPk(shard), ':cancelling': 'cancelling', ':before': before },
        },
      );
      for await (const page of pages) found.push(...(page.Items ?? []).map(toOrderRecord));
    }
    return found.sort((a, b) => a.updatedAt - b.updatedAt);
  }

  private async *pages(index: string, partition: string, sort: string, pk: string, before: number): AsyncIterable<OrderRecord[]> {
    const pages = paginateQuery(
      { client: this.db, pageSize: this.pageSize },
      {
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: '#p = :p AND #s < :before',
        ExpressionAttributeNames: { '#p': partition, '#s': sort },
        ExpressionAttributeValues: { ':p': pk, ':before': before },
      },
    );
    for await (const page of pages) yield (page.Items ?? []).map(toOrderRecord);
  }
}
