import { inject } from 'vitest';

/**
 * The local cloud's test hooks (fault injection, direct invokes, firing schedules), on its
 * loopback AWS endpoint. Undefined when the suite targets a deployed stage, where the tests
 * that need them are skipped.
 */
export const awsEndpoint = inject('awsEndpoint');

async function call(method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(awsEndpoint + route, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return { parsed, functionError: res.headers.get('x-amz-function-error') };
}

/** Functions this test file injected faults into. */
const faulted = new Set<string>();

/** The next `count` invocations of the function (by construct path, e.g. "Products/ReserveStock") fail, or with `delayMs` run late. */
export async function injectFaults(fn: string, count: number, how: { errorType?: string; delayMs?: number } = {}): Promise<void> {
  await call('POST', '/_local/faults', { function: fn, count, ...how });
  faulted.add(fn);
}

/** Ends every fault this file injected, so a test that failed midway leaves none to the tests after it (e2e-setup.ts). */
export async function clearFaults(): Promise<void> {
  for (const fn of faulted) await call('POST', '/_local/faults', { function: fn, count: 0 });
  faulted.clear();
}

/** Invokes a function directly, as Step Functions would, and returns what it returned. */
export async function invokeDirectly(fn: string, payload: unknown): Promise<any> {
  const { parsed: functions } = await call('GET', '/_local/functions');
  const found = (functions as Array<{ logicalId: string; name: string }>).find((f) => f.name.endsWith(`/${fn}`));
  if (!found) throw new Error(`no local function ${fn}`);
  const { parsed, functionError } = await call('POST', `/2015-03-31/functions/${found.logicalId}/invocations`, payload);
  if (functionError) throw new Error(`${fn} failed: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Fires the scheduled rules whose construct path contains `rule`, as if the time were `time`. */
export async function fireSchedule(rule: string, time: Date): Promise<unknown[]> {
  return (await call('POST', '/_local/rules/fire', { rule, time: time.toISOString() })).parsed;
}

/** Every X-Ray segment document the functions' X-Ray SDK sent to the local daemon. */
export async function xraySegments(): Promise<Array<Record<string, unknown>>> {
  return (await call('GET', '/_local/traces/segments')).parsed;
}

/** Runs DynamoDB TTL as if the clock read `time`: what it deleted, as "pk|sk" keys per table. */
export async function runTtl(time: Date): Promise<Record<string, string[]>> {
  return (await call('POST', '/_local/ttl/run', { time: time.toISOString() })).parsed.deleted;
}

/** Step Functions, through the normal SDK protocol: a JSON-1.0 call to the local endpoint. */
export async function stepFunctions(operation: string, input: unknown): Promise<any> {
  const res = await fetch(awsEndpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
    body: JSON.stringify(input),
  });
  return res.json();
}

/** Waits until every event delivery under way (retries included) has finished. */
export async function eventsSettled(): Promise<void> {
  await call('POST', '/_local/events/settle', {});
}

/** The next `count` PutEvents entries are refused by the bus (a partial failure: HTTP 200, FailedEntryCount); 0 ends it. */
export async function refuseEvents(count: number): Promise<void> {
  await call('POST', '/_local/events/failures', { count });
}

export async function replayEvents(detailType: string): Promise<number> {
  return (await call('POST', '/_local/events/replay', { detailType })).parsed.replayed;
}

export async function archivedEvents(): Promise<Array<{ 'detail-type': string; detail: any }>> {
  return (await call('GET', '/_local/events')).parsed;
}

export async function deadLetters(): Promise<Record<string, unknown[]>> {
  return (await call('GET', '/_local/dead-letters')).parsed;
}

/** A secret's value from the local Secrets Manager, by the start of its name. */
export async function localSecret(namePrefix: string): Promise<string> {
  const target = async (operation: string, input: unknown): Promise<any> =>
    (
      await fetch(awsEndpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${operation}` },
        body: JSON.stringify(input),
      })
    ).json();
  const { SecretList } = await target('ListSecrets', {});
  const secret = SecretList.find((s: { Name: string }) => s.Name.startsWith(namePrefix));
  return (await target('GetSecretValue', { SecretId: secret.ARN })).SecretString;
}

export async function localMetrics(): Promise<Array<{ name: string; dimensions: Record<string, string>; sum: number }>> {
  return (await call('GET', '/_local/metrics')).parsed;
}

export async function orderSpans(orderId: number): Promise<Array<{ traceId: string; kind: string; name: string; ok: boolean }>> {
  return (await call('GET', `/_local/traces/order/${orderId}`)).parsed;
}

export async function functionLogs(): Promise<string[]> {
  return (await call('GET', '/_local/logs')).parsed.lines;
}

/** Every saga execution the local cloud ran: name, workflow type (STANDARD or EXPRESS), status. */
export async function sagaRuns(name?: string): Promise<Array<{ executionArn: string; name: string; status: string; type: string }>> {
  const runs: Array<{ executionArn: string; name: string; status: string; type: string }> = (await call('GET', '/_local/executions'))
    .parsed;
  return name === undefined ? runs : runs.filter((r) => r.name === name);
}

/** The saga's workflow type, as its runs so far show it (call once a saga has run). */
export async function sagaWorkflow(): Promise<string> {
  const [run] = await sagaRuns();
  if (!run) throw new Error('no saga has run yet');
  return run.type;
}

/**
 * Ends the running saga run `name` midway, as its workflow type can end: Standard by
 * StopExecution (ABORTED), Express by reaching its 5-minute limit (TIMED_OUT; the local cloud's
 * hook, since Express has no StopExecution). Answers the run's status then, as the API tells it
 * (DescribeExecution for Standard; Express answers it with InvalidArn, so the local list).
 */
export async function endRun(name: string): Promise<{ type: string; status: string }> {
  const [run] = (await sagaRuns(name)).filter((r) => r.status === 'RUNNING');
  if (!run) throw new Error(`no running saga run ${name}`);
  if (run.type === 'EXPRESS') {
    await call('POST', '/_local/executions/expire', { name });
    const described = await stepFunctions('DescribeExecution', { executionArn: run.executionArn });
    if (described.__type !== 'InvalidArn') throw new Error(`DescribeExecution of an Express run: ${JSON.stringify(described)}`);
    return { type: run.type, status: (await sagaRuns(name)).find((r) => r.executionArn === run.executionArn)!.status };
  }
  await stepFunctions('StopExecution', { executionArn: run.executionArn });
  return { type: run.type, status: (await stepFunctions('DescribeExecution', { executionArn: run.executionArn })).status };
}

/** The next `count` Express StartExecutions are delivered twice (at-least-once delivery); 0 ends it. */
export async function redeliverRuns(count: number): Promise<void> {
  await call('POST', '/_local/executions/redeliver', { count });
}
