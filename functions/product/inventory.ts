import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { metrics } from '../../shared/powertools';
import { RETRY, retry } from '../../shared/retry';
import { failure, type StepOutcome, success } from '../../shared/saga';
import type { Catalog } from './product-service';
import { ON_SALE } from './schemas';
import { maxReservedShards, type Reservation } from './stock-repository';

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
    const plan = planReservation(wanted, await repo.stock.shards(products, true));
    if (typeof plan === 'string') return failure(plan);
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

/**
 * Which shards to take each product's stock from, in at most maxReservedShards shard writes (so
 * that its release, which also takes back each product's sales, still fits one transaction):
 * each product from a random shard on (spreading hot products' writes), or, when that needs too
 * many writes, from its fullest shards. A business failure when the stock is not there, or so
 * spread that no plan within that bound can take it.
 */
export function planReservation(
  wanted: Map<number, number>,
  shards: Map<number, number[]>,
): Reservation[] | 'INSUFFICIENT_STOCK' | 'STOCK_TOO_SPREAD' {
  const plan = (order: 'random' | 'fullest') => [...wanted].map(([pid, num]) => planFromShards(pid, shards.get(pid) ?? [], num, order));
  const spread = plan('random');
  if (spread.some((taken) => !taken)) return 'INSUFFICIENT_STOCK';
  // Fullest first takes the fewest shards a product can give: if even that is too many, nothing fits.
  for (const candidate of [spread, plan('fullest')]) {
    const writes = candidate.flatMap((taken) => taken!);
    if (writes.length <= maxReservedShards(wanted.size)) return writes;
  }
  return 'STOCK_TOO_SPREAD';
}

/** Takes `num` from the shards, starting at a random one (or the fullest first); undefined if they hold too little. */
export function planFromShards(
  pid: number,
  available: number[],
  num: number,
  order: 'random' | 'fullest' = 'random',
): Reservation[] | undefined {
  if (available.reduce((a, b) => a + b, 0) < num) return undefined;
  const start = Math.floor(Math.random() * available.length);
  const shards = available.map((_, i) => (start + i) % available.length);
  if (order === 'fullest') shards.sort((a, b) => available[b]! - available[a]!);
  const plan: Reservation[] = [];
  let missing = num;
  for (const shard of shards) {
    if (missing <= 0) break;
    const take = Math.min(available[shard]!, missing);
    if (take > 0) {
      plan.push({ pid, shard, num: take });
      missing -= take;
    }
  }
  return plan;
}

/**
 * Gives the order's reservation back. A shard removed since (the product's stock_shards was
 * lowered) gets nothing back: its share goes to a shard that still exists, read here.
 */
export async function releaseStock(repo: Catalog, barrier: Barrier, gid: string, placed = false): Promise<StepOutcome> {
  const reserved = await barrier.actionData<{ reservations: Reservation[] }>(gid, 'stock');
  const pids = [...new Set((reserved?.reservations ?? []).map((r) => r.pid))];
  const products = pids.length ? await repo.products.getProducts(pids, true) : [];
  const shardCounts = new Map(products.map((p) => [p.id, p.stockShards]));
  await repo.stock.release(barrier, gid, (pid) => shardCounts.get(pid), placed);
  return success();
}

/** On PaymentSucceeded: what the order reserved is sold, once (a redelivered event changes nothing). */
export function confirmSale(repo: Catalog, barrier: Barrier, gid: string) {
  return repo.stock.confirmSale(barrier, gid);
}
