import { afterEach, describe, expect, it, vi } from 'vitest';
import { planReservation } from '../../functions/product/inventory';
import { MAX_STOCK_SHARDS } from '../../functions/product/schemas';
import type { Reservation } from '../../functions/product/stock-repository';
import { stageConfig } from '../../infra/config';

// Every transaction on a reservation must fit DynamoDB's 100 items: a release refused for its
// size is retried forever, the order never leaves `cancelling` and its units are never given
// back. The item counts below mirror what StockRepository writes; the order API's limits
// (the largest of every stage) and the product schema's shard bound give the worst case.
const TRANSACTION_ITEMS = 100;
const limits = ['local', 'localstack', 'dev', 'prod'].map((stage) => stageConfig(stage, {}).orderLimits);
const maxLines = Math.max(...limits.map((l) => l.maxLines));
const maxUnitsPerProduct = Math.max(...limits.map((l) => l.maxUnitsPerProduct));

const productsOf = (plan: Reservation[]) => new Set(plan.map((r) => r.pid)).size;
/** The barrier's mark, one give-back per shard taken (grouped as release does) and each product's sales taken back. */
const releaseItems = (plan: Reservation[]) => 1 + new Set(plan.map((r) => `${r.pid}#${r.shard}`)).size + productsOf(plan);
/** The barrier's mark and each product's sales. */
const confirmItems = (plan: Reservation[]) => 1 + productsOf(plan);
/** A refusal, or the plan's transaction sizes (readable when an assertion fails). */
const sizes = (plan: ReturnType<typeof planReservation>) =>
  typeof plan === 'string' ? plan : { shardWrites: plan.length, release: releaseItems(plan), confirm: confirmItems(plan) };

/** One unit left in every shard, and the rest of `num` in shard 0: a plan takes min(num, shards) writes. */
const onePerShard = (num: number) => [Math.max(1, num - (MAX_STOCK_SHARDS - 1)), ...new Array<number>(MAX_STOCK_SHARDS - 1).fill(1)];
const order = (nums: number[]) => new Map(nums.map((num, i): [number, number] => [i + 1, num]));
const stock = (nums: number[], shards: (num: number) => number[]) =>
  new Map(nums.map((num, i): [number, number[]] => [i + 1, shards(num)]));

afterEach(() => vi.restoreAllMocks());

describe('a stock reservation, and every later transaction on it', () => {
  it('refuses the worst order the limits allow (every line at its most units, one unit left per shard): STOCK_TOO_SPREAD', () => {
    const nums = new Array<number>(maxLines).fill(maxUnitsPerProduct);
    // Each product needs all its shards: 20 x 16 = 320 shard writes.
    expect(planReservation(order(nums), stock(nums, onePerShard))).toBe('STOCK_TOO_SPREAD');
  });

  it('is refused, or released and confirmed within 100 items, for any number of products and units', () => {
    // Shard 0 holding one unit more than the others makes the fullest-first plan differ from a random start's.
    const arrangements = [onePerShard, (num: number) => onePerShard(num).map((n, k) => (k === 0 ? n + 1 : n))];
    const starts = [0, 0.5, 0.999];
    const tooBig: string[] = [];
    for (let products = 1; products <= maxLines; products++) {
      for (let num = 1; num <= maxUnitsPerProduct; num++) {
        const nums = new Array<number>(products).fill(num);
        for (const shards of arrangements) {
          for (const start of starts) {
            vi.spyOn(Math, 'random').mockReturnValue(start);
            const plan = sizes(planReservation(order(nums), stock(nums, shards)));
            const what = `${products} products of ${num} units, random start ${start}`;
            if (typeof plan === 'string') {
              if (plan !== 'STOCK_TOO_SPREAD') tooBig.push(`${what}: ${plan}`);
            } else if (plan.release > TRANSACTION_ITEMS || plan.confirm > TRANSACTION_ITEMS) {
              tooBig.push(`${what}: ${plan.shardWrites} shard writes, release ${plan.release} items, confirm ${plan.confirm}`);
            }
          }
        }
      }
    }
    expect({ cases: tooBig.length, first: tooBig.slice(0, 3) }).toEqual({ cases: 0, first: [] });
  });

  it('uses the whole transaction for the largest reservation that fits, and refuses one more shard write', () => {
    // 20 products leave 100 - 1 - 20 = 79 shard writes: 19 products over 4 shards and one over 3.
    const writes = TRANSACTION_ITEMS - 1 - maxLines;
    const nums = Array.from({ length: maxLines }, (_, i) => Math.floor(writes / maxLines) + (i < writes % maxLines ? 1 : 0));
    expect(sizes(planReservation(order(nums), stock(nums, onePerShard)))).toEqual({
      shardWrites: writes,
      release: TRANSACTION_ITEMS,
      confirm: maxLines + 1,
    });

    const oneMore = nums.map((num, i) => (i === maxLines - 1 ? num + 1 : num));
    expect(sizes(planReservation(order(oneMore), stock(oneMore, onePerShard)))).toBe('STOCK_TOO_SPREAD');
  });
});
