import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed } from '../../shared/conditions';
import {
  OPEN_SHARDS,
  type OrderRecord,
  openKeys,
  openShardPk,
  orderKey,
  PARKED_OPEN_KEY,
  payDueShardPk,
  toOrderRecord,
} from './order-table';

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
    return this.updateIf({
      Key: orderKey(order.id),
      UpdateExpression: 'SET #sort = :at',
      ConditionExpression: '#state = :state AND attribute_exists(#sort)',
      ExpressionAttributeNames: { '#sort': sort, '#state': 'state' },
      ExpressionAttributeValues: { ':at': at, ':state': order.state },
    });
  }

  /**
   * The order, pending or cancelling as read, is cancelling under the repair run `run`, on ByOpen
   * from now, its repairs counted in the same write. The count read is the condition, so two
   * sweeps that read the order alike start one run between them. False if it moved meanwhile.
   */
  async startRepair(order: OrderRecord, run: string): Promise<boolean> {
    const now = Date.now();
    const { openPk, openKey } = openKeys({ id: order.id, createdAt: now });
    return this.updateIf({
      Key: orderKey(order.id),
      UpdateExpression: 'SET #state = :cancelling, #run = :run, repairs = :next, updatedAt = :now, openPk = :openPk, openKey = :openKey',
      ConditionExpression: '#state = :state AND (attribute_not_exists(repairs) OR repairs = :seen)',
      ExpressionAttributeNames: { '#state': 'state', '#run': 'run' },
      ExpressionAttributeValues: {
        ':cancelling': 'cancelling',
        ':state': order.state,
        ':run': run,
        ':next': (order.repairs ?? 0) + 1,
        ':seen': order.repairs ?? 0,
        ':now': now,
        ':openPk': openPk,
        ':openKey': openKey,
      },
    });
  }

  /**
   * The sweeper stops repairing the order: it stays cancelling and on ByOpen (the stuck list
   * shows it), sorted after every sweep's reach. False if it moved, or was parked, meanwhile.
   */
  park(order: OrderRecord, at: number): Promise<boolean> {
    return this.updateIf({
      Key: orderKey(order.id),
      UpdateExpression: 'SET parkedAt = :at, openKey = :parked',
      ConditionExpression: '#state = :state AND attribute_exists(openKey) AND attribute_not_exists(parkedAt)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':at': at, ':parked': PARKED_OPEN_KEY, ':state': order.state },
    });
  }

  /**
   * Orders cancelling since before `before` (Unix ms, by their last change), and every parked
   * one however recent: compensations that keep failing. ByOpen holds only pending and
   * cancelling orders (and after-sale ones being finished), so this reads few items.
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
          FilterExpression: '#state = :cancelling AND (updatedAt < :before OR attribute_exists(parkedAt))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':p': openShardPk(shard), ':cancelling': 'cancelling', ':before': before },
        },
      );
      for await (const page of pages) found.push(...(page.Items ?? []).map(toOrderRecord));
    }
    return found.sort((a, b) => a.updatedAt - b.updatedAt);
  }

  private async updateIf(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ ...update, TableName: this.table }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
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
