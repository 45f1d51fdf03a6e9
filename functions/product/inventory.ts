import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { metrics } from '../../shared/powertools';
import { RETRY, retry } from '../../shared/retry';
import { failure, type StepOutcome, success } from '../../shared/saga';
import type { Catalog } from './product-service';
import { ON_SALE } from './schemas';
import type { Reservation } from './stock-repository';

/**
 * Inventory's saga steps (seed 004's Sell): reserve stock for an order, or release it. Stock
 * is spread over shards; a reservation starts at a random shard so concurrent orders for a hot
 * product spread their writes, and takes from several shards when one has too little.
 */
export async function reserveStock(
  repo: Catalog,
  barrier: Barrier,
  gid: string,
  items: Array<{ pid: number; num: number }>,
): Promise<StepOutcome> {
  const wanted = new Map<number, number>();
  for (const item of items) wanted.set(item.pid, (wanted.get(item.pid) ?? 0) + item.num);
  const products = await repo.products.getProducts([...wanted.keys()], true);
  for (const pid of wanted.keys()) {
    const product = products.find((p) => p.id === pid);
    if (!product || product.removedAt || product.status !== ON_SALE) return failure('PRODUCT_UNAVAILABLE');
  }

  const policy = {
    attempts: 12,
    baseDelayMs: 15,
    maxDelayMs: 180,
    exhausted: () => new Error(`could not reserve stock for ${gid} after 12 attempts of contention`),
  };
  return retry(policy, async (): Promise<StepOutcome | typeof RETRY> => {
    const shards = await repo.stock.shards(products, true);
    const plan: Reservation[] = [];
    for (const [pid, num] of wanted) {
      const taken = planFromShards(pid, shards.get(pid) ?? [], num);
      if (!taken) return failure('INSUFFICIENT_STOCK');
      plan.push(...taken);
    }
    try {
      const result = await repo.stock.reserve(barrier, gid, plan);
      if (result.status === 'done') return success();
      if (result.status === 'blocked') return failure('ALREADY_CANCELLED');
      // A shard was emptied by another order since we read it: read again and re-plan.
    } catch (error) {
      // Two orders wrote the same shard at once (TransactionConflict): back off and re-plan.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
    metrics.addMetric('StockConflict', MetricUnit.Count, 1);
    return RETRY;
  });
}

/** Takes `num` from the shards, starting at a random one; undefined if they hold too little. */
export function planFromShards(pid: number, available: number[], num: number): Reservation[] | undefined {
  if (available.reduce((a, b) => a + b, 0) < num) return undefined;
  const start = Math.floor(Math.random() * available.length);
  const plan: Reservation[] = [];
  let missing = num;
  for (let i = 0; i < available.length && missing > 0; i++) {
    const shard = (start + i) % available.length;
    const take = Math.min(available[shard]!, missing);
    if (take > 0) {
      plan.push({ pid, shard, num: take });
      missing -= take;
    }
  }
  return plan;
}

export async function releaseStock(repo: Catalog, barrier: Barrier, gid: string): Promise<StepOutcome> {
  await repo.stock.release(barrier, gid);
  return success();
}

/** On PaymentSucceeded: what the order reserved is sold, once (a redelivered event changes nothing). */
export function confirmSale(repo: Catalog, barrier: Barrier, gid: string) {
  return repo.stock.confirmSale(barrier, gid);
}
