/**
 * The local cloud's throughput figures for `npm run bench:saga` (issue 13, part 3), measured in
 * the same run so that only ratios matter:
 *   - the transactional ceiling of the same DynamoDB Local: concurrent TransactWriteItems shaped
 *     like the saga's (a conditional barrier Put and a conditional stock Update), sent directly
 *     to DynamoDB Local, not through the local cloud's proxies;
 *   - orders per second through the whole saga, and its share of that ceiling
 *     (orders/s x TransactWriteItems per order / ceiling tx/s);
 *   - create latency: p99 of sequential creates, p99 under 200 concurrent creates, their ratio,
 *     and the status of every answer (a 5xx is never expected).
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoMeter } from '../../infra/local/dynamodb-meter';
import { cpuSample, cpuSince } from './cpu-account';

export interface Shopper {
  id: number;
  token: string;
}

export interface ThroughputContext {
  apiUrl: string;
  /** The local cloud's loopback endpoint (its metrics: Powertools' ColdStart). */
  awsEndpoint: string;
  dynamoEndpoint: string;
  meter: DynamoMeter;
  /** A successful API call's reply (throws otherwise). */
  call(route: string, body: unknown, token?: string): Promise<any>;
  /** Waits until the saga of every order in `ids` has finished. */
  finished(ids: number[]): Promise<Array<{ executionArn: string; status: string }>>;
  log(line?: string): void;
}

const CEILING_TABLE = 'BenchTransactionCeiling';
const KEYS = ['pk', 'sk'] as const;

/** Transactions per second the DynamoDB Local sustains for `count` saga-shaped transactions, `width` at a time. */
export async function transactionCeiling(endpoint: string, count = 1200, width = 16): Promise<number> {
  const db = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await db.send(
      new CreateTableCommand({
        TableName: CEILING_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        // Keyed like the mall's tables: pk (partition) and sk (sort), both strings.
        KeySchema: KEYS.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        AttributeDefinitions: KEYS.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      }),
    );
    const shards = 4;
    for (let s = 0; s < shards; s++)
      await db.send(
        new PutItemCommand({
          TableName: CEILING_TABLE,
          Item: { pk: { S: 'PRODUCT#1' }, sk: { S: `STOCK#${s}` }, stock: { N: '1000000' } },
        }),
      );
    const transaction = (i: number) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: CEILING_TABLE,
              Item: {
                pk: { S: `BARRIER#order-${i}#stock` },
                sk: { S: 'action' },
                origin: { S: 'action' },
                data: { M: { shard: { N: String(i % shards) }, num: { N: '1' } } },
                at: { N: String(Date.now()) },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: CEILING_TABLE,
              Key: { pk: { S: 'PRODUCT#1' }, sk: { S: `STOCK#${i % shards}` } },
              UpdateExpression: 'SET stock = stock - :n',
              ConditionExpression: 'stock >= :n',
              ExpressionAttributeValues: { ':n': { N: '1' } },
            },
          },
        ],
      });
    let next = 0;
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < count) {
          const i = next++;
          // Two transactions on one shard item at once conflict (TransactionConflict), as in the saga: retried.
          for (;;) {
            try {
              await db.send(transaction(i));
              done++;
              break;
            } catch (error) {
              if ((error as Error).name !== 'TransactionCanceledException') throw error;
            }
          }
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  } finally {
    await db.send(new DeleteTableCommand({ TableName: CEILING_TABLE })).catch(() => {});
    db.destroy();
  }
}

/** One order/create as a client sees it: status and milliseconds (never throws on an HTTP error). */
async function timedCreate(apiUrl: string, pid: number, shopper: Shopper): Promise<{ status: number; ms: number; id?: number }> {
  const started = performance.now();
  const res = await fetch(`${apiUrl}/api/order/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` },
    body: JSON.stringify({ pid, num: 1 }),
  });
  const reply = (await res.json().catch(() => ({}))) as { id?: number };
  return { status: res.status, ms: performance.now() - started, ...(res.ok && typeof reply.id === 'number' ? { id: reply.id } : {}) };
}

/** Cold starts so far: the ColdStart metric every function emits on its first invocation. */
async function coldStarts(awsEndpoint: string): Promise<number> {
  const series = (await (await fetch(`${awsEndpoint}/_local/metrics`)).json()) as Array<{ name: string; sum: number }>;
  return series.filter((s) => s.name === 'ColdStart').reduce((n, s) => n + s.sum, 0);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
function statusCounts(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
}

/**
 * Prints the throughput section. `shoppers` must hold at least 88 fresh users (5 open orders
 * each at most: orderLimits.maxOpenPerUser); `admin` creates the products.
 */
export async function throughputFigures(ctx: ThroughputContext, admin: Shopper, shoppers: Shopper[]): Promise<void> {
  const { log } = ctx;
  const product = async (stock: number) =>
    (await ctx.call('/api/product/create', { name: 'Race item', stock, amount: 100, status: 1, stock_shards: 4 }, admin.token))
      .id as number;
  log('## Throughput through the whole saga');

  // Sequential creates first (warm environments), the reference for the latency under load.
  const sequentialPid = await product(100_000);
  const sequential: Array<{ status: number; ms: number; id?: number }> = [];
  const sequentialCpu = cpuSample();
  for (let i = 0; i < 40; i++) sequential.push(await timedCreate(ctx.apiUrl, sequentialPid, shoppers[i % 8]!));
  await ctx.finished(sequential.flatMap((r) => (r.id !== undefined ? [r.id] : [])));
  log(`- 40 sequential orders, CPU per order: ${cpuSince(sequentialCpu, 40)}`);

  const ceilingCpu = cpuSample();
  const ceiling = await transactionCeiling(ctx.dynamoEndpoint);
  const ceilingCpuPerTx = cpuSince(ceilingCpu, 1200);
  log(
    `- DynamoDB Local's ceiling: ${ceiling.toFixed(0)} TransactWriteItems/s (2 items each, 16 at a time, sent directly to DynamoDB Local, not through the local cloud's proxies); CPU per transaction: ${ceilingCpuPerTx}`,
  );

  for (const [label, stock, shopperSlice] of [
    ['ample stock', 100_000, shoppers.slice(8, 48)],
    ['200 orders racing for 50 in stock', 50, shoppers.slice(48, 88)],
  ] as const) {
    const pid = await product(stock);
    ctx.meter.reset();
    const coldBefore = await coldStarts(ctx.awsEndpoint);
    const cpu = cpuSample();
    const started = Date.now();
    const creates = await Promise.all(
      Array.from({ length: 200 }, (_, i) => timedCreate(ctx.apiUrl, pid, shopperSlice[i % shopperSlice.length]!)),
    );
    const ids = creates.flatMap((r) => (r.id !== undefined ? [r.id] : []));
    const executions = await ctx.finished(ids);
    const seconds = (Date.now() - started) / 1000;
    const cpuPerOrder = cpuSince(cpu, Math.max(1, ids.length));
    const transactions = ctx.meter.stats.requests.TransactWriteItems ?? 0;
    const placed = executions.filter((e) => e.status === 'SUCCEEDED').length;
    const states = await Promise.all(ids.map((id) => ctx.call('/api/order/detail', { id }, admin.token).then((o) => o.state as string)));
    const awaiting = states.filter((s) => s === 'awaiting_payment').length;
    const stockLeft = (await ctx.call('/api/product/detail', { id: pid }, admin.token)).stock;
    const ordersPerSecond = ids.length / seconds;
    const perOrder = transactions / Math.max(1, ids.length);
    log(
      `- ${label}: ${ids.length} orders in ${seconds.toFixed(1)} s = ${ordersPerSecond.toFixed(1)} orders/s; ${awaiting} awaiting payment, ${ids.length - awaiting} cancelled, stock left ${stockLeft} (${placed} executions succeeded)`,
    );
    log(
      `  - share of the ceiling: ${ordersPerSecond.toFixed(1)} orders/s x ${perOrder.toFixed(2)} TransactWriteItems per order / ${ceiling.toFixed(0)} tx/s = ${((100 * ordersPerSecond * perOrder) / ceiling).toFixed(0)}% (target: at least 50%)`,
    );
    log(`  - CPU per order: ${cpuPerOrder}; cold starts: ${(await coldStarts(ctx.awsEndpoint)) - coldBefore}`);
    const seqP99 = percentile(
      sequential.map((r) => r.ms),
      99,
    );
    const loadP99 = percentile(
      creates.map((r) => r.ms),
      99,
    );
    log(
      `  - create latency: sequential p50 ${percentile(
        sequential.map((r) => r.ms),
        50,
      ).toFixed(0)} ms, p99 ${seqP99.toFixed(0)} ms; 200 at once p50 ${percentile(
        creates.map((r) => r.ms),
        50,
      ).toFixed(0)} ms, p99 ${loadP99.toFixed(0)} ms = ${(loadP99 / seqP99).toFixed(1)}x sequential (target: at most 3x)`,
    );
    log(
      `  - create answers: ${statusCounts(creates.map((r) => r.status))} (sequential: ${statusCounts(sequential.map((r) => r.status))}); 5xx: ${creates.filter((r) => r.status >= 500).length}`,
    );
  }
}
