import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Barrier, TransactItem } from '../../shared/barrier';
import { recordOf } from '../../shared/records';
import { batchGetAll, productKey, SHARE, shardKey, shardOf } from './catalog-table';

/** Stock taken from one shard by one order. */
export interface Reservation {
  pid: number;
  shard: number;
  num: number;
}

/** DynamoDB's limit of items in one transaction. */
const TRANSACTION_ITEMS = 100;

/**
 * The most shard writes a reservation of `products` distinct products may take, so that each
 * transaction on it fits in one, now and later: reserve writes the barrier and the shards;
 * confirmSale the barrier's mark and each product's sales; release the mark, a give-back per
 * shard taken (a lowered shard count merges give-backs, never splits them) and, once confirmed,
 * each product's sales again. The release is the largest: 1 + shards + products <= 100.
 * Sizes stay far from DynamoDB's 400 KB per item and 4 MB per transaction: the barrier keeps
 * fewer than 100 reservations of three numbers (a few KB); a product item, its fields bounded in
 * schemas.ts, is under 40 KB, and a transaction holds at most 49 (each product takes a shard).
 */
export const maxReservedShards = (products: number) => TRANSACTION_ITEMS - 1 - products;

const shardRecord = z.object({ pk: z.string(), productId: z.number(), available: z.number() });

/** Spreads `total` over `shards` items as evenly as possible. */
export function splitStock(total: number, shards: number): number[] {
  return Array.from({ length: shards }, (_, k) => Math.floor(total / shards) + (k < total % shards ? 1 : 0));
}

/** The shards of a new product, holding `stock` between them. */
export function newShards(table: string, pid: number, stock: number, shards: number): TransactItem[] {
  return splitStock(stock, shards).map((available, k) => ({
    Put: { TableName: table, Item: { ...shardKey(pid, k), productId: pid, available } },
  }));
}

/**
 * Sets a product's total stock to `total` over `shards` shards, on condition that the shards
 * still hold what was read (`current`); shards beyond the new count are deleted.
 */
export function resetShards(table: string, pid: number, shards: number, stock: { total: number; current: number[] }): TransactItem[] {
  return [
    ...splitStock(stock.total, shards).map((available, k) => ({
      Put: {
        TableName: table,
        Item: { ...shardKey(pid, k), productId: pid, available },
        ...(k < stock.current.length
          ? { ConditionExpression: 'available = :old', ExpressionAttributeValues: { ':old': stock.current[k] } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    })),
    ...stock.current.slice(shards).map((old, k) => ({
      Delete: {
        TableName: table,
        Key: shardKey(pid, shards + k),
        ConditionExpression: 'available = :old',
        ExpressionAttributeValues: { ':old': old },
      },
    })),
  ];
}

/** Stock shards, and the saga's inventory operations on them (seed 004: Sell, its compensation, Confirm). */
export class StockRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Available stock per shard, for each product (shard counts taken from the records). */
  async shards(products: Array<{ id: number; stockShards: number }>, consistent: boolean): Promise<Map<number, number[]>> {
    const keys = products.flatMap((p) => Array.from({ length: p.stockShards }, (_, k) => shardKey(p.id, k)));
    const items = (await batchGetAll(this.db, this.table, keys, consistent)).map((item) => recordOf(shardRecord, item));
    const result = new Map<number, number[]>(products.map((p) => [p.id, new Array<number>(p.stockShards).fill(0)]));
    for (const item of items) {
      const shard = shardOf(item);
      const shards = result.get(item.productId);
      if (shards && shard < shards.length) shards[shard] = item.available;
    }
    return result;
  }

  /**
   * Takes `reservations` (shard by shard) in one transaction with the saga's barrier, each shard
   * conditioned on having enough left.
   */
  reserve(barrier: Barrier, gid: string, reservations: Reservation[]) {
    return barrier.action(
      gid,
      'stock',
      { reservations },
      reservations.map((r) => ({
        Update: {
          TableName: this.table,
          Key: shardKey(r.pid, r.shard),
          UpdateExpression: 'ADD available :minus',
          ConditionExpression: 'available >= :n',
          ExpressionAttributeValues: { ':minus': -r.num, ':n': r.num },
        },
      })),
    );
  }

  /**
   * Gives back what the saga's reservation took, if it took anything. `shardCount` is each
   * product's current number of shards: what came from a shard removed since goes to shard
   * (shard mod count) instead. Each shard must exist (a count lowered meanwhile refuses the
   * transaction, and the saga's retry reads it again): stock never goes to a shard nobody reads.
   * Which shards were taken is only on the barrier: for an order known to have reserved
   * (`reserved`) whose barrier is not there, the release fails loudly rather than pass as empty.
   */
  release(barrier: Barrier, gid: string, shardCount: (pid: number) => number | undefined = () => undefined, reserved = false) {
    return barrier.compensate<{ reservations: Reservation[] }>(
      gid,
      'stock',
      ({ reservations }, followedUp) => {
        // A paid order cancelled after inventory confirmed the sale: the sale is taken back too. The
        // compensation holds only if no confirm landed since the barrier was read (Barrier.compensate).
        const unsell = followedUp('confirm') ? this.unsellItems(reservations) : [];
        const giveBack = new Map<string, Reservation>();
        for (const r of reservations) {
          const count = shardCount(r.pid);
          const shard = count && r.shard >= count ? r.shard % count : r.shard;
          const key = `${r.pid}#${shard}`;
          giveBack.set(key, { pid: r.pid, shard, num: (giveBack.get(key)?.num ?? 0) + r.num });
        }
        return [
          ...[...giveBack.values()].map((r) => ({
            Update: {
              TableName: this.table,
              Key: shardKey(r.pid, r.shard),
              UpdateExpression: 'ADD available :n',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':n': r.num },
            },
          })),
          ...unsell,
        ];
      },
      () => {
        if (reserved) throw new Error(`${gid} reserved stock but its barrier is missing: give the stock back by hand`);
        return [];
      },
    );
  }

  /** The reverse of confirmSale's count: each product's sales (and sales index key) less what the order bought. */
  private unsellItems(reservations: Reservation[]): TransactItem[] {
    const sold = new Map<number, number>();
    for (const r of reservations) sold.set(r.pid, (sold.get(r.pid) ?? 0) + r.num);
    return [...sold].map(([pid, num]) => ({
      Update: {
        TableName: this.table,
        Key: productKey(pid),
        UpdateExpression: 'SET sales = sales - :n, salesKey = salesKey - :key, updatedAt = updatedAt + :one',
        // Products are never deleted (removal is a flag); the count it confirmed is there to take back.
        ConditionExpression: 'sales >= :n',
        ExpressionAttributeValues: { ':n': num, ':key': num * SHARE, ':one': 1 },
      },
    }));
  }

  /**
   * Inventory's Confirm (seed 004): the order's reservation is sold. Counts the sale on each
   * product (sales, and the sales index key) once per order: a confirm mark on the reservation's
   * barrier, in the same transaction, makes a redelivered or replayed event a no-op. Nothing to
   * confirm if the saga never reserved, or if its reservation was released (the order was
   * cancelled, and a late payment is the order service's to refund): the mark holds only while
   * it was not.
   */
  async confirmSale(barrier: Barrier, gid: string): Promise<'confirmed' | 'already-confirmed' | 'nothing-reserved' | 'released'> {
    const reserved = await barrier.actionData<{ reservations: Reservation[] }>(gid, 'stock');
    if (!reserved) return 'nothing-reserved';
    const sold = new Map<number, number>();
    for (const r of reserved.reservations) sold.set(r.pid, (sold.get(r.pid) ?? 0) + r.num);
    const outcome = await barrier.followUp(gid, 'stock', 'confirm', [
      ...[...sold].map(([pid, num]) => ({
        Update: {
          TableName: this.table,
          Key: productKey(pid),
          // updatedAt moves too, so an admin's concurrent read-modify-write cannot undo the count.
          UpdateExpression:
            'SET sales = if_not_exists(sales, :zero) + :n, salesKey = if_not_exists(salesKey, :tie) + :key, updatedAt = updatedAt + :one',
          ExpressionAttributeValues: { ':zero': 0, ':n': num, ':tie': pid % SHARE, ':key': num * SHARE, ':one': 1 },
        },
      })),
    ]);
    if (outcome === 'not-standing' || outcome === 'refused') return 'released'; // the sales counts have no condition
    return outcome === 'done' ? 'confirmed' : 'already-confirmed';
  }
}
