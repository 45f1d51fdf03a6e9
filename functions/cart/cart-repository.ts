import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { conflict } from '../../shared/errors';
import { queryRecords } from '../../shared/query-records';
import { RETRY, retry } from '../../shared/retry';
import { MAX_CART_PRODUCTS, MAX_COUNT } from './schemas';

/**
 * The cart table, one partition per user:
 *   CART#<uid> / ITEM#<productId>   a product in the cart with its count
 *   CART#<uid> / META               how many distinct products the cart holds (kept exact by
 *                                   transactions, so the 200 limit holds under concurrency)
 */
const cartLine = z.object({ productId: z.number(), count: z.number(), addedAt: z.number() });
export type CartLine = z.infer<typeof cartLine>;

export type AddOutcome = { ok: true; count: number } | { ok: false; reason: 'CART_FULL' | 'COUNT_TOO_LARGE' };

const cartKey = (uid: number) => `CART#${uid}`;
const itemKey = (uid: number, productId: number) => ({ pk: cartKey(uid), sk: `ITEM#${productId}` });
const metaKey = (uid: number) => ({ pk: cartKey(uid), sk: 'META' });

/** Adding races only with another request putting in the same product; a few tries settle it, else 409. */
const ADD_POLICY = {
  attempts: 8,
  baseDelayMs: 20,
  maxDelayMs: 160,
  exhausted: () => conflict('CONCURRENT_UPDATE', 'the cart was changed by someone else meanwhile; retry'),
};
/** A checkout races with the user's own changes to the cart: read the cart again, a few times. */
const CHECKOUT_POLICY = { attempts: 5, baseDelayMs: 10, maxDelayMs: 80 };

export class CartRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  lines(uid: number): Promise<CartLine[]> {
    return queryRecords(this.db, cartLine, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
      ExpressionAttributeValues: { ':pk': cartKey(uid), ':item': 'ITEM#' },
    });
  }

  /** Adds `count` to a product already in the cart, or puts it in as a new line if there is room. */
  add(uid: number, productId: number, count: number): Promise<AddOutcome> {
    return retry(ADD_POLICY, async (): Promise<AddOutcome | typeof RETRY> => {
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
        return RETRY;
      }
    });
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
    const policy = { ...CHECKOUT_POLICY, exhausted: () => new Error(`cart of ${uid} kept changing during checkout`) };
    await retry(policy, async () => {
      const present = (await this.lines(uid)).map((l) => l.productId).filter((pid) => productIds.includes(pid));
      const result = await barrier.action(
        gid,
        'cart',
        { removed: present },
        [
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
        ],
        // Nothing compensates a checkout (an order's lines stay out of the cart): its barrier is only for retries.
        'for-retries',
      );
      return result.status === 'refused' ? RETRY : undefined; // otherwise done now, done before, or cancelled
    });
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
