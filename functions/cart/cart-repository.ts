import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { MAX_CART_PRODUCTS, MAX_COUNT } from './schemas';

/**
 * The cart table, one partition per user:
 *   CART#<uid> / ITEM#<productId>   a product in the cart with its count
 *   CART#<uid> / META               how many distinct products the cart holds (kept exact by
 *                                   transactions, so the 200 limit holds under concurrency)
 */
export interface CartLine {
  productId: number;
  count: number;
  addedAt: number;
}

export type AddOutcome = { ok: true; count: number } | { ok: false; reason: 'CART_FULL' | 'COUNT_TOO_LARGE' };

const cartKey = (uid: number) => `CART#${uid}`;
const itemKey = (uid: number, productId: number) => ({ pk: cartKey(uid), sk: `ITEM#${productId}` });
const metaKey = (uid: number) => ({ pk: cartKey(uid), sk: 'META' });

export class CartRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async lines(uid: number): Promise<CartLine[]> {
    const lines: CartLine[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': cartKey(uid), ':item': 'ITEM#' },
          ExclusiveStartKey: start,
        }),
      );
      lines.push(...(out.Items ?? []).map((i) => ({ productId: i.productId, count: i.count, addedAt: i.addedAt })));
      start = out.LastEvaluatedKey;
    } while (start);
    return lines;
  }

  /** Adds `count` to a product already in the cart, or puts it in as a new line if there is room. */
  async add(uid: number, productId: number, count: number): Promise<AddOutcome> {
    for (;;) {
      const existing = await this.increment(uid, productId, count);
      if (existing !== 'absent') return existing;
      const now = Date.now();
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...itemKey(uid, productId), productId, count, addedAt: now, updatedAt: now },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: metaKey(uid),
                  UpdateExpression: 'ADD size :one',
                  ConditionExpression: 'attribute_not_exists(size) OR size < :max',
                  ExpressionAttributeValues: { ':one': 1, ':max': MAX_CART_PRODUCTS },
                },
              },
            ],
          }),
        );
        return { ok: true, count };
      } catch (error) {
        if (conditionFailed(error, 1)) return { ok: false, reason: 'CART_FULL' };
        // Another request put the same product in first: add to its line instead.
        if (!conditionFailed(error, 0)) throw error;
      }
    }
  }

  /** Sets the count of a product in the cart; false if it is not in the cart. */
  async setCount(uid: number, productId: number, count: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: itemKey(uid, productId),
          UpdateExpression: 'SET #count = :count, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':count': count, ':now': Date.now() },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Removes a product from the cart; removing one that is not there changes nothing. */
  async remove(uid: number, productId: number): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.table, Key: itemKey(uid, productId), ConditionExpression: 'attribute_exists(pk)' } },
            {
              Update: {
                TableName: this.table,
                Key: metaKey(uid),
                UpdateExpression: 'ADD size :minusOne',
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!conditionFailed(error, 0)) throw error;
    }
  }

  /**
   * Saga step RemoveFromCart: takes the ordered products out of the cart, once per saga (with
   * its barrier). Lines the user removed meanwhile are simply not there.
   */
  async checkout(barrier: Barrier, gid: string, uid: number, productIds: number[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const present = (await this.lines(uid)).map((l) => l.productId).filter((pid) => productIds.includes(pid));
      const result = await barrier.action(gid, 'cart', { removed: present }, [
        ...present.map((pid) => ({
          Delete: { TableName: this.table, Key: itemKey(uid, pid), ConditionExpression: 'attribute_exists(pk)' },
        })),
        ...(present.length
          ? [
              {
                Update: {
                  TableName: this.table,
                  Key: metaKey(uid),
                  UpdateExpression: 'ADD size :minus',
                  ExpressionAttributeValues: { ':minus': -present.length },
                },
              },
            ]
          : []),
      ]);
      if (result.status !== 'refused') return; // done now, done before, or cancelled
      if (attempt >= 5) throw new Error(`cart of ${uid} kept changing during checkout`);
    }
  }

  private async increment(uid: number, productId: number, count: number): Promise<AddOutcome | 'absent'> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: itemKey(uid, productId),
          UpdateExpression: 'ADD #count :n SET updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #count <= :room',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':n': count, ':room': MAX_COUNT - count, ':now': Date.now() },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true, count: Number(out.Attributes?.count) };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const old = (error as { Item?: Record<string, unknown> }).Item;
      return old ? { ok: false, reason: 'COUNT_TOO_LARGE' } : 'absent';
    }
  }
}
