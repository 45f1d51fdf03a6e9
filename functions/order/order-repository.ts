import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import {
  counterKey,
  idempotencyKeyOf,
  type OrderRecord,
  openKeys,
  orderKey,
  toOrderRecord,
  unpaidKeys,
  userPkOf,
  visibleKeys,
} from './order-table';
import type { OrderState } from './schemas';

/** How long an Idempotency-Key names its order; DynamoDB TTL (`expiresAt`) removes it afterwards. */
const IDEMPOTENCY_KEEP_SECONDS = 24 * 60 * 60;
const nowSeconds = () => Math.floor(Date.now() / 1000);

const idempotencyRecord = z.object({ orderId: z.number(), bodyHash: z.string(), expiresAt: z.number().optional() });

/** Orders as the API and the sweeper read and move them: placed, listed, moved between states, annotated, hidden. */
export class OrderRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, counterKey);
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
                        ...idempotencyKeyOf(order.uid, idempotency.key),
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
                Item: { ...orderKey(order.id), ...order, ...visibleKeys(order), ...openKeys(order), ...unpaidKeys(order) },
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
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: idempotencyKeyOf(uid, key), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { orderId, bodyHash, expiresAt } = recordOf(idempotencyRecord, out.Item);
    const live = !(typeof expiresAt === 'number' && expiresAt <= nowSeconds());
    return live ? { orderId, bodyHash } : undefined;
  }

  async get(id: number): Promise<OrderRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: orderKey(id), ConsistentRead: true }));
    return out.Item ? toOrderRecord(out.Item) : undefined;
  }

  /** A page of the user's visible orders, newest first, after `cursor` (a `listKey`; 0 for the first page). */
  async listByUser(uid: number, cursor: number, pageSize: number): Promise<OrderRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'ByUser',
        KeyConditionExpression: `userPk = :u${cursor > 0 ? ' AND listKey < :c' : ''}`,
        ExpressionAttributeValues: { ':u': userPkOf(uid), ...(cursor > 0 ? { ':c': cursor } : {}) },
        ScanIndexForward: false,
        Limit: pageSize,
      }),
    );
    return (out.Items ?? []).map(toOrderRecord);
  }

  /** Moves an order from one of `from` to `to`; false if it was not in one of them. */
  async transition(id: number, from: OrderState[], to: OrderState, set: Partial<OrderRecord> = {}): Promise<boolean> {
    const open = to === 'pending' || to === 'cancelling';
    const unpaid = to === 'pending' || to === 'awaiting_payment';
    const now = Date.now();
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':to': to, ':now': now };
    const assignments = ['#state = :to', 'updatedAt = :now'];
    if (open) {
      // Every non-final state is on an index the sweeper reads: an open one on ByOpen, from now.
      const { openPk, openKey } = openKeys({ id, createdAt: now });
      Object.assign(values, { ':openPk': openPk, ':openKey': openKey });
      assignments.push('openPk = :openPk', 'openKey = :openKey');
    }
    Object.entries(set).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      assignments.push(`#f${i} = :v${i}`);
    });
    from.forEach((state, i) => {
      values[`:from${i}`] = state;
    });
    return this.updateIf({
      Key: orderKey(id),
      // Any move ends "awaiting payment": the order leaves the payment-deadline index.
      UpdateExpression: `SET ${assignments.join(', ')} REMOVE payPk, payDue${open ? '' : ', openPk, openKey'}${unpaid ? '' : ', unpaidPk'}`,
      ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** How many unpaid orders (pending or awaiting payment) the user has, counting up to `upTo` at most. */
  async countUnpaid(uid: number, upTo: number): Promise<number> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'ByUserUnpaid',
        KeyConditionExpression: 'unpaidPk = :u',
        ExpressionAttributeValues: { ':u': userPkOf(uid) },
        Select: 'COUNT',
        Limit: upTo,
      }),
    );
    return out.Count ?? 0;
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

  /** Hides a finished order from its owner's list (go-zero-mall's remove); false if it is not in one of `finished`. */
  hide(id: number, finished: OrderState[]): Promise<boolean> {
    return this.updateIf({
      Key: orderKey(id),
      UpdateExpression: 'SET #hidden = :yes, updatedAt = :now REMOVE userPk, listKey',
      ConditionExpression: `#state IN (${finished.map((_, i) => `:s${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#state': 'state', '#hidden': 'hidden' },
      ExpressionAttributeValues: { ':yes': true, ':now': Date.now(), ...Object.fromEntries(finished.map((s, i) => [`:s${i}`, s])) },
    });
  }

  /** A conditional update of an order; false if its condition did not hold. */
  private async updateIf(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, ...update }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
