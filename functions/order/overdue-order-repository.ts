import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { OPEN_SHARDS, type OrderRecord, openShardPk, payDueShardPk, toOrderRecord } from './order-table';

/** What the sweeper looks at: orders overdue on one of the sharded sparse indexes ByOpen and ByPayDue. */
export class OverdueOrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Pending or cancelling orders created before `before` (Unix ms). */
  openBefore(before: number, limit = 100): Promise<OrderRecord[]> {
    return this.shardedBefore('ByOpen', 'openPk', 'openKey', openShardPk, before, limit);
  }

  /** Orders awaiting payment whose deadline is before `now` (Unix ms). */
  unpaidBefore(now: number, limit = 100): Promise<OrderRecord[]> {
    return this.shardedBefore('ByPayDue', 'payPk', 'payDue', payDueShardPk, now, limit);
  }

  /** Items of a sharded sparse index whose sort key is below `before`, up to `limit` per shard. */
  private async shardedBefore(
    index: string,
    partition: string,
    sort: string,
    shardPk: (shard: number) => string,
    before: number,
    limit: number,
  ) {
    const found: OrderRecord[] = [];
    for (let shard = 0; shard < OPEN_SHARDS; shard++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: '#p = :p AND #s < :before',
          ExpressionAttributeNames: { '#p': partition, '#s': sort },
          ExpressionAttributeValues: { ':p': shardPk(shard), ':before': before },
          Limit: limit,
        }),
      );
      found.push(...(out.Items ?? []).map(toOrderRecord));
    }
    return found;
  }
}
