import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import type { OrderItem, OrderState } from './schemas';

/**
 * The order table:
 *   ORDER#<id> / ORDER              an order; while visible it carries userPk/listKey (index
 *                                   ByUser: a user's orders, newest first); while pending or
 *                                   cancelling it carries openPk/openKey (index ByOpen, spread
 *                                   over OPEN_SHARDS partitions: what the sweeper checks)
 *                                   while awaiting payment it carries payPk/payDue (index
 *                                   ByPayDue: what the sweeper closes when unpaid too long)
 *   IDEMPOTENCY#<uid>#<key> / KEY   the order an Idempotency-Key created, for 24 hours (TTL)
 *   BARRIER#<gid>#<branch> / <op>   the saga's barriers
 */
export const OPEN_SHARDS = 8;

/** How long an Idempotency-Key names its order; DynamoDB TTL (`expiresAt`) removes it afterwards. */
const IDEMPOTENCY_KEEP_SECONDS = 24 * 60 * 60;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface OrderRecord {
  id: number;
  uid: number;
  items: OrderItem[];
  total: number;
  discount: number;
  amount: number;
  couponId?: number;
  fromCart: boolean;
  state: OrderState;
  reason?: string;
  paymentId?: number;
  paidAt?: number;
  /** The saga execution now driving the order (pending: order-<id>; cancelling: its cancel run). */
  run?: string;
  remark?: string;
  hidden?: boolean;
  /** Unix milliseconds. */
  createdAt: number;
  updatedAt: number;
}

const orderKey = (id: number) => ({ pk: `ORDER#${id}`, sk: 'ORDER' });
export const listKeyOf = (o: { createdAt: number; id: number }) => o.createdAt * 1000 + (o.id % 1000);
const openKeys = (o: OrderRecord) => ({ openPk: `OPEN#${o.id % OPEN_SHARDS}`, openKey: o.createdAt });
const visibleKeys = (o: OrderRecord) => ({ userPk: `USER#${o.uid}`, listKey: listKeyOf(o) });

export class OrderRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, { pk: 'COUNTER#order', sk: 'COUNTER' });
  }

  nextId(): Promise<number> {
    return this.ids.nextId();
  }

  /**
   * Writes a new pending order and, with an Idempotency-Key, the key, in one transaction.
   * Returns the id of the order the key already created, if it did.
   */
  async create(
    order: OrderRecord,
    idempotency?: { key: string; bodyHash: string },
  ): Promise<{ existing?: { orderId: number; bodyHash: string } }> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...(idempotency
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: {
                        pk: `IDEMPOTENCY#${order.uid}#${idempotency.key}`,
                        sk: 'KEY',
                        orderId: order.id,
                        bodyHash: idempotency.bodyHash,
                        expiresAt: nowSeconds() + IDEMPOTENCY_KEEP_SECONDS,
                      },
                      // TTL deletes within days of expiry, not at once: an expired key is free.
                      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                      ExpressionAttributeValues: { ':now': nowSeconds() },
                    },
                  },
                ]
              : []),
            {
              Put: {
                TableName: this.table,
                Item: { ...orderKey(order.id), ...order, ...visibleKeys(order), ...openKeys(order) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return {};
    } catch (error) {
      if (idempotency && conditionFailed(error, 0)) {
        const existing = await this.idempotencyKey(order.uid, idempotency.key);
        if (existing) return { existing };
      }
      throw error;
    }
  }

  async idempotencyKey(uid: number, key: string): Promise<{ orderId: number; bodyHash: string } | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `IDEMPOTENCY#${uid}#${key}`, sk: 'KEY' }, ConsistentRead: true }),
    );
    const live = out.Item && !(typeof out.Item.expiresAt === 'number' && out.Item.expiresAt <= nowSeconds());
    return live ? { orderId: out.Item!.orderId, bodyHash: out.Item!.bodyHash } : undefined;
  }

  async get(id: number): Promise<OrderRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: orderKey(id), ConsistentRead: true }));
    return out.Item ? strip(out.Item) : undefined;
  }

  async listByUser(uid: number, cursor: number, pageSize: number): Promise<OrderRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'ByUser',
        KeyConditionExpression: `userPk = :u${cursor > 0 ? ' AND listKey < :c' : ''}`,
        ExpressionAttributeValues: { ':u': `USER#${uid}`, ...(cursor > 0 ? { ':c': cursor } : {}) },
        ScanIndexForward: false,
        Limit: pageSize,
      }),
    );
    return (out.Items ?? []).map(strip);
  }

  /** Pending or cancelling orders created before `before` (Unix ms), for the sweeper. */
  openBefore(before: number, limit = 100): Promise<OrderRecord[]> {
    return this.shardedBefore('ByOpen', 'openPk', 'openKey', 'OPEN', before, limit);
  }

  /** Moves an order from one of `from` to `to`; false if it was not in one of them. */
  async transition(id: number, from: OrderState[], to: OrderState, set: Partial<OrderRecord> = {}): Promise<boolean> {
    const open = to === 'pending' || to === 'cancelling';
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':to': to, ':now': Date.now() };
    const assignments = ['#state = :to', 'updatedAt = :now'];
    Object.entries(set).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      assignments.push(`#f${i} = :v${i}`);
    });
    from.forEach((state, i) => {
      values[`:from${i}`] = state;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(id),
          // Any move ends "awaiting payment": the order leaves the payment-deadline index.
          UpdateExpression: `SET ${assignments.join(', ')} REMOVE payPk, payDue${open ? '' : ', openPk, openKey'}`,
          ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Saga step OpenOrder: the order enters the saga, once, if it is still pending. */
  open(barrier: Barrier, gid: string, id: number) {
    return barrier.action(gid, 'order', {}, [
      {
        Update: {
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression: 'SET sagaAt = :now',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': Date.now() },
        },
      },
    ]);
  }

  /** Saga step MarkAwaitingPayment, once, with its barrier; the order must be paid by `payDue` (Unix ms). */
  awaitPayment(barrier: Barrier, gid: string, id: number, paymentId: number, payDue: number) {
    return barrier.action(gid, 'confirm', { paymentId }, [
      {
        Update: {
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression:
            'SET #state = :awaiting, paymentId = :payment, updatedAt = :now, payPk = :payPk, payDue = :payDue REMOVE openPk, openKey',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':awaiting': 'awaiting_payment',
            ':pending': 'pending',
            ':payment': paymentId,
            ':now': Date.now(),
            ':payPk': `PAYDUE#${id % OPEN_SHARDS}`,
            ':payDue': payDue,
          },
        },
      },
    ]);
  }

  /** Orders awaiting payment whose deadline is before `now` (Unix ms). */
  unpaidBefore(now: number, limit = 100): Promise<OrderRecord[]> {
    return this.shardedBefore('ByPayDue', 'payPk', 'payDue', 'PAYDUE', now, limit);
  }

  /** Items of a sharded sparse index whose sort key is below `before`, across all its shards. */
  private async shardedBefore(index: string, partition: string, sort: string, prefix: string, before: number, limit: number) {
    const found: OrderRecord[] = [];
    for (let shard = 0; shard < OPEN_SHARDS; shard++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: '#p = :p AND #s < :before',
          ExpressionAttributeNames: { '#p': partition, '#s': sort },
          ExpressionAttributeValues: { ':p': `${prefix}#${shard}`, ':before': before },
          Limit: limit,
        }),
      );
      found.push(...(out.Items ?? []).map(strip));
    }
    return found;
  }

  /**
   * Compensation CancelOrder: cancels the order, with the saga's barrier (so a repeated delivery
   * is a no-op). An order already cancelled or paid is left as it is.
   */
  async cancel(barrier: Barrier, gid: string, id: number, reason: string): Promise<void> {
    // Cancelled before (the barrier), or no longer cancellable (already cancelled or paid): done.
    await barrier.once(gid, 'order', 'compensate', [
      {
        Update: {
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression: 'SET #state = :cancelled, reason = :reason, updatedAt = :now REMOVE openPk, openKey, payPk, payDue',
          ConditionExpression: '#state IN (:pending, :awaiting, :cancelling)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':reason': reason,
            ':now': Date.now(),
            ':pending': 'pending',
            ':awaiting': 'awaiting_payment',
            ':cancelling': 'cancelling',
          },
        },
      },
    ]);
  }

  async setRemark(id: number, remark: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: orderKey(id),
        UpdateExpression: 'SET remark = :r, updatedAt = :now',
        ExpressionAttributeValues: { ':r': remark, ':now': Date.now() },
      }),
    );
  }

  /** Hides a finished order from its owner's list (go-zero-mall's remove). */
  async hide(id: number, finished: OrderState[]): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression: 'SET #hidden = :yes, updatedAt = :now REMOVE userPk, listKey',
          ConditionExpression: `#state IN (${finished.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#state': 'state', '#hidden': 'hidden' },
          ExpressionAttributeValues: { ':yes': true, ':now': Date.now(), ...Object.fromEntries(finished.map((s, i) => [`:s${i}`, s])) },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}

function strip(item: Record<string, NativeAttributeValue>): OrderRecord {
  const { pk: _pk, sk: _sk, userPk: _u, listKey: _l, openPk: _p, openKey: _k, payPk: _pp, payDue: _pd, sagaAt: _s, ...order } = item;
  return order as OrderRecord;
}
