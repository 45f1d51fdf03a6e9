import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed, transactionConflict } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import {
  counterKey,
  idempotencyKeyOf,
  type OrderRecord,
  openKeys,
  orderKey,
  stateKeysOf,
  toOrderRecord,
  UNPAID_STATES,
  unpaidSetKey,
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
   * Writes a new pending order, adds it to its owner's unpaid orders unless they already hold
   * `maxUnpaid`, and, with an Idempotency-Key, writes the key: all in one transaction, so
   * simultaneous requests cannot pass the limit together. Returns the order the key already
   * created, if it did, `full` when the limit refused it, or `contended` when another of the
   * user's writes was on the same item at that moment (TransactionConflict: nothing was written).
   */
  async create(
    order: OrderRecord,
    maxUnpaid: number,
    idempotency?: { key: string; bodyHash: string },
  ): Promise<{ existing?: { orderId: number; bodyHash: string }; full?: true; contended?: true }> {
    const unpaid = {
      Update: {
        TableName: this.table,
        Key: unpaidSetKey(order.uid),
        UpdateExpression: 'ADD #open :id',
        ConditionExpression: 'attribute_not_exists(#open) OR size(#open) < :max',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':id': new Set([order.id]), ':max': maxUnpaid },
      },
    };
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
                Item: { ...orderKey(order.id), ...order, ...visibleKeys(order), ...openKeys(order) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            unpaid,
          ],
        }),
      );
      return {};
    } catch (error) {
      if (idempotency && conditionFailed(error, 0)) {
        const existing = await this.idempotencyKey(order.uid, idempotency.key);
        if (existing) return { existing };
      }
      if (conditionFailed(error, idempotency ? 2 : 1)) return { full: true };
      if (transactionConflict(error)) return { contended: true };
      throw error;
    }
  }

  /**
   * Takes the user's orders that are no longer unpaid (paid, cancelling or cancelled since) out of
   * their unpaid set; returns how many went. Orders never return to an unpaid state, so an id
   * taken out is never wrongly forgotten.
   */
  async forgetSettledUnpaid(uid: number): Promise<number> {
    const key = unpaidSetKey(uid);
    const held = (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item?.open as
      | Set<number>
      | undefined;
    if (!held?.size) return 0;
    const out = await this.db.send(
      new BatchGetCommand({
        RequestItems: {
          [this.table]: {
            Keys: [...held].map(orderKey),
            ConsistentRead: true,
            ProjectionExpression: 'id, #state',
            ExpressionAttributeNames: { '#state': 'state' },
          },
        },
      }),
    );
    // Unprocessed keys (throttling) count as still unpaid: this call only ever frees, never blocks wrongly for long.
    const stillUnpaid = new Set(
      (out.Responses?.[this.table] ?? []).filter((o) => UNPAID_STATES.includes(o.state)).map((o) => o.id as number),
    );
    for (const k of out.UnprocessedKeys?.[this.table]?.Keys ?? []) stillUnpaid.add(Number(String(k.pk).slice('ORDER#'.length)));
    const settled = [...held].filter((id) => !stillUnpaid.has(id));
    if (settled.length) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'DELETE #open :settled',
          ExpressionAttributeNames: { '#open': 'open' },
          ExpressionAttributeValues: { ':settled': new Set(settled) },
        }),
      );
    }
    return settled.length;
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
    // Fulfilment (issue 12): an order in a listed state (paid on) is on ByState, from now; others are not.
    const listed = stateKeysOf(id, to, now);
    if (listed) {
      Object.assign(values, { ':statePk': listed.statePk, ':stateKey': listed.stateKey });
      assignments.push('statePk = :statePk', 'stateKey = :stateKey');
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
      UpdateExpression: `SET ${assignments.join(', ')} REMOVE payPk, payDue${open ? '' : ', openPk, openKey'}${listed ? '' : ', statePk, stateKey'}`,
      ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
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

  // ---- Refunds (issue 12) ----

  /**
   * Records how much of the order's payment has been refunded (`refundedTotal`, the payment's
   * running sum). It only ever grows: a redelivered, replayed or out-of-order Refunded changes
   * nothing (false).
   */
  recordRefund(id: number, refundedTotal: number, refundedAt: number): Promise<boolean> {
    return this.updateIf({
      Key: orderKey(id),
      UpdateExpression: 'SET refundedAmount = :total, refundedAt = :at, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(refundedAmount) OR refundedAmount < :total)',
      ExpressionAttributeValues: { ':total': refundedTotal, ':at': refundedAt, ':now': Date.now() },
    });
  }

  // ---- end of refunds ----

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
