/**
 * The all-in cost of a purchase, per million purchases, for both workflow types: what one
 * purchase uses, measured in the local cloud, times the prices in prices.ts.
 *
 * A purchase: order/create, order/detail until the saga has answered (if create did not
 * already say), pay/callback (the sandbox's "I paid"), and what follows: the saga's run, the
 * PaymentSucceeded event and its consumers.
 */
import * as fs from 'node:fs';
import type { LocalCloud } from '../../infra/local/cloud';
import type { LogLevel } from '../../infra/local/state-machine-logs';
import { ASSUMED, PRICES } from './prices';

export interface PurchaseUsage {
  purchases: number;
  apiRequests: number;
  /** Function invocations that logged (every entry point logs one line; internal functions do not). */
  lambdaInvocations: number;
  /** Per saga run, summed over the purchase's runs. */
  transitions: number;
  tasks: number;
  sagaRuns: number;
  /** The saga's log group level, and the bytes its runs' events take there at each level. */
  sagaLogLevel: LogLevel;
  sagaLogBytes: Record<LogLevel, number>;
  writeUnits: number;
  writeUnitsByTable: Record<string, number>;
  readUnits: number;
  events: number;
  /** Bytes the functions wrote to their logs (what CloudWatch ingests, without the local name prefix). */
  logBytes: number;
}

type Call = (route: string, body: unknown, token?: string) => Promise<any>;

async function local(cloud: LocalCloud, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(cloud.awsEndpoint + route, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  return res.json();
}

/** Runs `count` purchases, 2 at a time, by `shoppers` of product `pid`, and measures what they used. */
export async function measurePurchases(
  cloud: LocalCloud,
  call: Call,
  shoppers: Array<{ id: number; token: string }>,
  pid: number,
  count: number,
): Promise<PurchaseUsage> {
  const meter = cloud.dynamoMeter!;
  await local(cloud, 'POST', '/_local/events/settle', {});
  const logStart = fs.statSync(cloud.functionLogFile).size;
  const eventsBefore = (await local(cloud, 'GET', '/_local/events')).length;
  meter.reset();
  let apiRequests = 0;
  const ids: number[] = [];
  const purchase = async (i: number) => {
    const shopper = shoppers[i % shoppers.length]!;
    let order = await call('/api/order/create', { pid, num: 1 }, shopper.token);
    apiRequests++;
    while (order.state === 'pending') {
      await new Promise((r) => setTimeout(r, 1000)); // a client polling once a second
      order = await call('/api/order/detail', { id: order.id }, shopper.token);
      apiRequests++;
    }
    if (order.state !== 'awaiting_payment') throw new Error(`purchase ${i}: order ${order.id} is ${order.state}`);
    await call(
      '/api/pay/callback',
      { id: order.payment_id, uid: shopper.id, oid: order.id, amount: order.amount, source: 1, status: 1 },
      shopper.token,
    );
    apiRequests++;
    ids.push(order.id);
  };
  // Two at a time: on a busy machine a wider burst times out create (10 s) and measures the machine, not the purchase.
  for (let i = 0; i < count; i += 2) await Promise.all(Array.from({ length: Math.min(2, count - i) }, (_, j) => purchase(i + j)));
  await local(cloud, 'POST', '/_local/events/settle', {});
  // The runs have ended (RemoveFromCart is the last step; the event consumers are settled above).
  const names = new Set(ids.map((id) => `order-${id}`));
  let runs: Array<{
    name: string;
    status: string;
    transitions: number;
    tasks: number;
    logLevel: LogLevel;
    logBytes: Record<LogLevel, number>;
  }> = [];
  for (;;) {
    runs = (await local(cloud, 'GET', '/_local/executions')).filter((r: { name: string }) => names.has(r.name));
    if (runs.every((r) => r.status !== 'RUNNING')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const logLines = fs
    .readFileSync(cloud.functionLogFile)
    .subarray(logStart)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf(' ') + 1)); // "<stack>/<function> " is the local cloud's, not the function's
  const requestIds = new Set(logLines.map((line) => line.match(/"function_request_id":"([^"]+)"/)?.[1]).filter(Boolean));
  const sum = (key: 'transitions' | 'tasks') => runs.reduce((n, r) => n + r[key], 0);
  const levels: LogLevel[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];
  return {
    purchases: count,
    apiRequests,
    lambdaInvocations: requestIds.size,
    transitions: sum('transitions'),
    tasks: sum('tasks'),
    sagaRuns: runs.length,
    sagaLogLevel: runs[0]?.logLevel ?? 'OFF',
    sagaLogBytes: Object.fromEntries(levels.map((level) => [level, runs.reduce((n, r) => n + r.logBytes[level], 0)])) as Record<
      LogLevel,
      number
    >,
    writeUnits: meter.stats.writeUnits,
    writeUnitsByTable: meter.stats.writeUnitsByTable,
    readUnits: meter.stats.readUnits,
    events: (await local(cloud, 'GET', '/_local/events')).length - eventsBefore,
    logBytes: logLines.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0),
  };
}

/** Log bytes per purchase: the functions' lines, Lambda's own (assumed), and the saga's log group at `sagaLogLevel`. */
function logBytesOf(u: PurchaseUsage, sagaLogLevel = u.sagaLogLevel): number {
  return u.logBytes + u.lambdaInvocations * ASSUMED.lambdaPlatformLogBytes + u.sagaLogBytes[sagaLogLevel];
}

/** Dollars per million purchases, by service, for one workflow type. */
export function costPerMillion(u: PurchaseUsage, workflow: 'STANDARD' | 'EXPRESS'): Record<string, number> {
  const per = (n: number) => (n / u.purchases) * 1e6; // per million purchases
  const gbSeconds = (ms: number, mb: number) => (Math.ceil(ms / 100) * 100 * mb) / 1024 / 1000;
  const expressRunMs = (u.tasks / Math.max(u.sagaRuns, 1)) * ASSUMED.lambdaMs;
  const stepFunctions =
    workflow === 'STANDARD'
      ? per(u.transitions) * PRICES.stepFunctions.standardTransition.usd
      : per(u.sagaRuns) *
        (PRICES.stepFunctions.expressRequest.usd + gbSeconds(expressRunMs, ASSUMED.expressMb) * PRICES.stepFunctions.expressGbSecond.usd);
  const logBytes = logBytesOf(u);
  return {
    'API Gateway': per(u.apiRequests) * PRICES.apiGateway.request.usd,
    Lambda:
      per(u.lambdaInvocations) *
      (PRICES.lambda.request.usd + gbSeconds(ASSUMED.lambdaMs, ASSUMED.lambdaMb) * PRICES.lambda.armGbSecond.usd),
    'Step Functions': stepFunctions,
    DynamoDB: per(u.writeUnits) * PRICES.dynamoDb.writeUnit.usd + per(u.readUnits) * PRICES.dynamoDb.readUnit.usd,
    EventBridge: per(u.events) * PRICES.eventBridge.customEvent.usd,
    'CloudWatch Logs': (per(logBytes) / 1024 ** 3) * PRICES.cloudWatchLogs.ingestedGb.usd,
  };
}

/** The usage per purchase and the cost table for both workflow types, as Markdown lines. */
export function costReport(u: PurchaseUsage): string[] {
  const each = (n: number) => (n / u.purchases).toFixed(2);
  const kib = (bytes: number) => (bytes / u.purchases / 1024).toFixed(2);
  const standard = costPerMillion(u, 'STANDARD');
  const express = costPerMillion(u, 'EXPRESS');
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return [
    `Per purchase (${u.purchases} purchases): ${each(u.apiRequests)} API requests, ${each(u.lambdaInvocations)} function invocations,`,
    `${each(u.transitions)} state transitions (${each(u.tasks)} Lambda tasks), ${each(u.writeUnits)} DynamoDB write units and`,
    `${each(u.readUnits)} read units, ${each(u.events)} events, ${(u.logBytes / u.purchases / 1024).toFixed(2)} KiB of function logs.`,
    `Write units per purchase by table: ${Object.entries(u.writeUnitsByTable)
      .sort(([, a], [, b]) => b - a)
      .map(([table, units]) => `${table.replace(/Table[0-9A-F]{8}$/, '')} ${each(units)}`)
      .join(', ')}.`,
    `Log bytes per purchase: ${kib(u.logBytes)} KiB of function lines, ${kib(u.lambdaInvocations * ASSUMED.lambdaPlatformLogBytes)} KiB of Lambda's own (assumed),`,
    `${kib(u.sagaLogBytes[u.sagaLogLevel])} KiB in the saga's log group at level ${u.sagaLogLevel} (${kib(u.sagaLogBytes.ALL)} KiB at ALL):`,
    `all-in ${kib(logBytesOf(u))} KiB, against ${kib(logBytesOf(u, 'ALL'))} KiB with the saga at ALL = ${(logBytesOf(u) / logBytesOf(u, 'ALL')).toFixed(2)}x.`,
    '',
    '| per million purchases | Standard | Express |',
    '| --- | ---: | ---: |',
    ...Object.keys(standard).map((k) => `| ${k} | ${usd(standard[k]!)} | ${usd(express[k]!)} |`),
    `| **total** | **${usd(total(standard))}** | **${usd(total(express))}** |`,
    '',
    `Step Functions' share: Standard ${((standard['Step Functions']! / total(standard)) * 100).toFixed(0)}%, Express ${((express['Step Functions']! / total(express)) * 100).toFixed(0)}%; Standard / Express = ${(total(standard) / total(express)).toFixed(1)}x.`,
    `Assumed (test/bench/prices.ts): ${ASSUMED.lambdaMs} ms per invocation at ${ASSUMED.lambdaMb} MB, ${ASSUMED.lambdaPlatformLogBytes} B of Lambda's own log lines per invocation, an Express run as long as its tasks at ${ASSUMED.expressMb} MB.`,
  ];
}
