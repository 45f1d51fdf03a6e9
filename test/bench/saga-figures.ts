/**
 * `npm run bench:saga`: the order saga's cost and speed figures, measured in the embedded local
 * cloud (real DynamoDB Local, real ASL execution). Prints:
 *   - DynamoDB requests and estimated capacity units per successful order (a metering proxy);
 *   - Step Functions state transitions per order, and what they cost per million orders;
 *   - orders per second through the whole saga, its share of DynamoDB Local's transactional
 *     ceiling, create latency under load, and the 200-orders-on-50-stock race (throughput.ts).
 * Figures are from one run on this machine; quote ratios, not absolute times.
 * `npm run bench:saga -- --costs` prints only the counts and costs (a minute, not ten).
 */
import { setRoleByMobile } from '../../infra/admin/admin-role';
import { startLocalCloud } from '../../infra/local/cloud';
import { costReport, measurePurchases } from './costs';
import { PRICES } from './prices';
import { throughputFigures } from './throughput';

const ADMIN = { name: 'Bench Admin', gender: 0, mobile: '19911110000', password: 'bench-admin-pass' };

const log = (line = '') => process.stdout.write(line + '\n');
const cloud = await startLocalCloud({
  port: 0,
  retryPauseMs: 20,
  meterDynamo: true,
  progress: (m) => process.stderr.write(`[bench] ${m}\n`),
});
const meter = cloud.dynamoMeter!;

/** One API call; a 503 (busy: this machine is shared) is retried after its Retry-After, as a client would, 5 times at most. */
async function call(route: string, body: unknown, token?: string, attempt = 1): Promise<any> {
  const res = await fetch(cloud.apiUrl + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const reply = await res.json();
  if (res.status === 503 && attempt < 5) {
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
    return call(route, body, token, attempt + 1);
  }
  if (!res.ok) throw new Error(`${route}: ${res.status} ${JSON.stringify(reply)}`);
  return reply;
}
async function signIn(user: { name: string; gender: number; mobile: string; password: string }, admin = false) {
  const { id } = await call('/api/user/register', user);
  // The operator's way (npm run admin:grant): registering never makes an admin.
  if (admin) await setRoleByMobile(user.mobile, 'admin', { endpoint: cloud.dynamoEndpoint });
  const { accessToken } = await call('/api/user/login', user);
  return { id: id as number, token: accessToken as string };
}
/** Waits until every execution named order-<id> for `ids` has finished; returns them (the local list: Express has no ListExecutions). */
async function finished(ids: number[]): Promise<Array<{ executionArn: string; status: string; transitions: number }>> {
  const names = new Set(ids.map((id) => `order-${id}`));
  for (;;) {
    const executions = (await (await fetch(`${cloud.awsEndpoint}/_local/executions`)).json()) as any[];
    const mine = executions.filter((e: { name: string }) => names.has(e.name));
    if (mine.length === names.size && mine.every((e: { status: string }) => e.status !== 'RUNNING')) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function inBatches<T, R>(inputs: T[], width: number, task: (input: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < inputs.length; i += width) out.push(...(await Promise.all(inputs.slice(i, i + width).map(task))));
  return out;
}

try {
  const admin = await signIn(ADMIN, true);
  // Two at a time: each sign-up and sign-in hashes with scrypt at 128 MiB, which a shared 2-core machine does slowly.
  const users = await inBatches(
    Array.from({ length: 8 }, (_, i) => i),
    2,
    (i) => signIn({ name: `Bench ${i}`, gender: 1, mobile: `1991111${String(i + 1).padStart(4, '0')}`, password: 'bench-user-pass' }),
  );
  const plenty = (
    await call('/api/product/create', { name: 'Bench item', stock: 100_000, amount: 1000, status: 1, stock_shards: 4 }, admin.token)
  ).id;

  log(`# Order saga figures (embedded local cloud, one run; workflow ${process.env.MALL_SAGA_WORKFLOW || 'EXPRESS'})`);
  log();
  log('## All-in cost of a purchase');
  for (const line of costReport(await measurePurchases(cloud, call, users, plenty, 24))) log(line);
  log();
  for (const withCoupon of [false, true]) {
    const orders = 40;
    const coupons = withCoupon
      ? await inBatches(
          Array.from({ length: orders }, (_, i) => users[i % users.length]!),
          8,
          (u) =>
            call('/api/coupon/issue', { uid: u.id, value: 100, expires_at: Math.floor(Date.now() / 1000) + 3600 }, admin.token).then(
              (c) => c.id as number,
            ),
        )
      : [];
    meter.reset();
    const ids = await inBatches(
      Array.from({ length: orders }, (_, i) => i),
      8,
      (i) =>
        call(
          '/api/order/create',
          { pid: plenty, num: 1, ...(withCoupon ? { couponId: coupons[i] } : {}) },
          users[i % users.length]!.token,
        ).then((o) => o.id as number),
    );
    const executions = await finished(ids);
    const succeeded = executions.filter((e) => e.status === 'SUCCEEDED').length;
    const stats = meter.stats;
    const perOrder = (n: number) => (n / succeeded).toFixed(1);
    const counts = executions.map((e) => e.transitions);
    const avgTransitions = counts.reduce((a, b) => a + b, 0) / counts.length;
    const requests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
    log(`## ${withCoupon ? 'With' : 'Without'} a coupon (${succeeded} of ${orders} orders placed)`);
    log(
      `- DynamoDB requests per order: ${perOrder(requests)} (${Object.entries(stats.requests)
        .map(([op, n]) => `${op} ${perOrder(n)}`)
        .join(', ')})`,
    );
    log(
      `- DynamoDB write units per order: ${perOrder(stats.writeUnits)}, read units: ${perOrder(stats.readUnits)} (estimated, items < 1 KB)`,
    );
    log(`- Step Functions state transitions per order: ${avgTransitions.toFixed(1)}`);
    const standard = avgTransitions * PRICES.stepFunctions.standardTransition.usd * 1e6;
    const express = (PRICES.stepFunctions.expressRequest.usd + 1 * 0.0625 * PRICES.stepFunctions.expressGbSecond.usd) * 1e6;
    const dynamo = ((stats.writeUnits * PRICES.dynamoDb.writeUnit.usd + stats.readUnits * PRICES.dynamoDb.readUnit.usd) / succeeded) * 1e6;
    log(
      `- Per million orders: Step Functions Standard $${standard.toFixed(0)}, Express ≈ $${express.toFixed(2)} (assuming 1 s at 64 MB), DynamoDB on-demand $${dynamo.toFixed(2)}`,
    );
    log();
  }

  // Throughput, its share of DynamoDB Local's ceiling, and create latency under load: test/bench/throughput.ts.
  if (!process.argv.includes('--costs')) {
    const shoppers = await inBatches(
      Array.from({ length: 88 }, (_, i) => i),
      2,
      (i) => signIn({ name: `Racer ${i}`, gender: 1, mobile: `1992222${String(i + 1).padStart(4, '0')}`, password: 'bench-user-pass' }),
    );
    await throughputFigures(
      { apiUrl: cloud.apiUrl, awsEndpoint: cloud.awsEndpoint, dynamoEndpoint: cloud.dynamoEndpoint, meter, call, finished, log },
      admin,
      shoppers,
    );
  }
} finally {
  await cloud.stop();
}
