import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { LocalIam } from './iam';
import { LocalTelemetry } from './telemetry';
import type { FunctionSpec } from './template';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lambda-worker.mjs');

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  stack?: string[];
}

export type InvokeResult = { ok: true; result: unknown } | { ok: false; error: LambdaError };

export type LogSink = (functionName: string, line: string) => void;

/** Who invokes: a service principal from a source ARN (checked against the function's permissions), or a state machine (its role). */
export type InvokeSource = { service: string; sourceArn: string } | { stateMachineArn: string };

/**
 * Runs the template's functions the way Lambda does: each execution environment is a worker
 * thread with only that function's environment, handling one invocation at a time. Busy
 * functions scale out to more environments, up to `maxConcurrency` each, and the timeout from
 * the template is enforced by discarding the environment.
 */
export class LocalLambdas {
  private readonly pools = new Map<string, FunctionPool>();
  /** Function name (as an ARN or env var gives it) -> logical id. */
  private readonly byName = new Map<string, string>();
  private readonly faults = new Map<string, { remaining: number; errorType: string }>();
  private iam: LocalIam | undefined;

  constructor(
    specs: FunctionSpec[],
    runtimeEnvironment: Record<string, string>,
    log: LogSink,
    private readonly telemetry: LocalTelemetry,
    maxConcurrency = 8,
  ) {
    for (const spec of specs) {
      this.pools.set(spec.logicalId, new FunctionPool(spec, runtimeEnvironment, log, maxConcurrency));
      this.byName.set(spec.functionName, spec.logicalId);
    }
  }

  /** From now on, an invocation from a `source` runs only if IAM lets that source invoke the function. */
  useIam(iam: LocalIam): void {
    this.iam = iam;
  }

  /** Invokes the function within trace `traceId` (a new trace if none), and records the span. */
  async invoke(nameOrId: string, event: unknown, traceId = LocalTelemetry.newTraceId(), source?: InvokeSource): Promise<InvokeResult> {
    const logicalId = this.idOf(nameOrId);
    const pool = this.pools.get(logicalId);
    if (!pool) throw new Error(`no function ${nameOrId} in the template`);
    const start = Date.now();
    const fault = this.faults.get(logicalId);
    const denied = source && this.iam?.invocationDenied(pool.spec.functionName, source);
    let result: InvokeResult;
    if (denied) {
      pool.log(pool.spec.name, `AccessDeniedException: ${denied}`);
      result = { ok: false, error: { errorType: 'AccessDeniedException', errorMessage: denied } };
    } else if (fault && fault.remaining > 0) {
      fault.remaining--;
      result = { ok: false, error: { errorType: fault.errorType, errorMessage: 'fault injected by the local cloud' } };
    } else {
      result = await pool.invoke(event, traceId);
    }
    const key = this.telemetry.keyOf(event, result.ok ? result.result : undefined);
    this.telemetry.record({
      traceId,
      kind: 'lambda',
      name: pool.spec.name.split('/').slice(1).join('/'),
      start,
      ms: Date.now() - start,
      ok: result.ok,
      ...(result.ok ? {} : { detail: `${result.error.errorType}: ${result.error.errorMessage}` }),
      ...(key !== undefined ? { key } : {}),
    });
    return result;
  }

  /** Lambda's Invoke (RequestResponse), for services that ask another service (as go-zero's RPC clients did). */
  serve(endpoint: LocalAwsEndpoint): void {
    endpoint.onRest('POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, async (match, payload) => {
      const name = decodeURIComponent(match[1]!);
      if (!this.has(name)) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${name}`, 404);
      const outcome = await this.invoke(name, payload);
      // A function's error is still a 200, flagged by X-Amz-Function-Error.
      return outcome.ok
        ? { status: 200, body: outcome.result ?? null }
        : { status: 200, body: outcome.error, headers: { 'x-amz-function-error': 'Unhandled' } };
    });
  }

  /**
   * Test hook: the next `count` invocations of the function fail with `errorType` without
   * running, as if the participant were down.
   */
  injectFaults(logicalId: string, count: number, errorType = 'ServiceUnavailable'): void {
    if (!this.pools.has(logicalId)) throw new Error(`no function ${logicalId}`);
    this.faults.set(logicalId, { remaining: count, errorType });
  }

  /** Functions as { logicalId, name } (name is the construct path, e.g. ServerlessMall-local/Orders/Create). */
  list(): Array<{ logicalId: string; name: string }> {
    return [...this.pools.entries()].map(([logicalId, pool]) => ({ logicalId, name: pool.spec.name }));
  }

  has(nameOrId: string): boolean {
    return this.pools.has(this.idOf(nameOrId));
  }

  /** A function's logical id from its logical id, its name, or its ARN (qualified or not). */
  idOf(nameOrId: string): string {
    const name = nameOrId.includes(':function:') ? nameOrId.split(':function:')[1]!.split(':')[0]! : nameOrId;
    return this.byName.get(name) ?? name;
  }

  name(logicalId: string): string {
    return this.pools.get(logicalId)?.spec.name ?? logicalId;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}

class FunctionPool {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly waiting: Array<(env: Environment) => void> = [];

  constructor(
    readonly spec: FunctionSpec,
    private readonly runtimeEnvironment: Record<string, string>,
    readonly log: LogSink,
    private readonly maxConcurrency: number,
  ) {}

  async invoke(event: unknown, traceId: string): Promise<InvokeResult> {
    const env = await this.acquire();
    let reusable = false;
    try {
      const outcome = await env.run(event, this.spec.timeoutSeconds * 1000, traceId);
      reusable = outcome.reusable;
      return outcome.result;
    } finally {
      this.release(env, reusable);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.all].map((env) => env.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Environment> {
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.all.size < this.maxConcurrency) {
      const env = new Environment(this.spec, this.runtimeEnvironment, this.log);
      this.all.add(env);
      return Promise.resolve(env);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(env: Environment, reusable: boolean): void {
    if (!reusable) {
      this.all.delete(env);
      void env.terminate();
      const next = this.waiting.shift();
      if (next) void this.acquire().then(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(env);
    else this.idle.push(env);
  }
}

/** Runs at most `limit` tasks at a time; the others wait in arrival order. */
class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * At most this many environments initialize at once. Init (loading and running the bundle's
 * top level) is CPU-bound; in AWS each environment has a CPU of its own, here they share the
 * machine's. Unbounded, a burst of cold starts (200 orders at once start about a hundred) would
 * share the cores evenly and all finish late, stalling every caller waiting on one of them;
 * queued, they finish one after another. An environment's init does not count against its
 * invocation's timeout, as in AWS (init has a limit of its own there).
 */
const initializing = new Gate(Math.max(2, os.availableParallelism()));

class Environment {
  private worker: Worker | undefined;
  private readonly ready: Promise<LambdaError | undefined>;
  private pending: { id: string; resolve: (r: InvokeResult) => void } | undefined;
  private exited = false;

  constructor(spec: FunctionSpec, runtimeEnvironment: Record<string, string>, log: LogSink) {
    this.ready = initializing.run(() => this.start(spec, runtimeEnvironment, log));
  }

  private start(spec: FunctionSpec, runtimeEnvironment: Record<string, string>, log: LogSink): Promise<LambdaError | undefined> {
    if (this.exited) return Promise.resolve({ errorType: 'Runtime.ExitError', errorMessage: 'the environment was stopped before init' });
    const worker = new Worker(WORKER, {
      env: {
        ...runtimeEnvironment,
        ...spec.environment,
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        LAMBDA_TASK_ROOT: path.dirname(spec.entry),
        _HANDLER: `${path.basename(spec.entry).replace(/\.[cm]?js$/, '')}.${spec.handlerExport}`,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
      },
      workerData: {
        entry: spec.entry,
        handlerExport: spec.handlerExport,
        functionName: spec.functionName,
        memoryMb: spec.memoryMb,
      },
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    for (const stream of [worker.stdout, worker.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line) log(spec.name, line);
      });
    }
    worker.on('message', (message) => {
      const pending = this.pending;
      if (message.type === 'result' && pending && pending.id === message.id) {
        this.pending = undefined;
        pending.resolve(message.error ? { ok: false, error: message.error } : { ok: true, result: message.result });
      }
    });
    worker.on('error', (error) => this.fail({ errorType: 'Runtime.UnhandledError', errorMessage: error.message }));
    worker.on('exit', () => {
      this.exited = true;
      this.fail({ errorType: 'Runtime.ExitError', errorMessage: 'the environment exited' });
    });
    return new Promise((resolve) => {
      worker.once('message', (message) => resolve(message.error));
      worker.once('exit', () => resolve({ errorType: 'Runtime.ExitError', errorMessage: 'environment exited during init' }));
    });
  }

  async run(event: unknown, timeoutMs: number, traceId: string): Promise<{ result: InvokeResult; reusable: boolean }> {
    const initError = await this.ready;
    if (initError) return { result: { ok: false, error: initError }, reusable: false };
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const result = await new Promise<InvokeResult>((resolve) => {
      this.pending = { id, resolve };
      timer = setTimeout(
        () => this.fail({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs / 1000} seconds` }),
        timeoutMs,
      );
      this.worker!.postMessage({ id, event, requestId: id, deadline: Date.now() + timeoutMs, traceId });
    });
    clearTimeout(timer);
    const reusable = !this.exited && !(result.ok === false && result.error.errorType === 'Sandbox.Timedout');
    return { result, reusable };
  }

  async terminate(): Promise<void> {
    const worker = this.worker;
    this.exited = true;
    if (worker) await worker.terminate();
  }

  private fail(error: LambdaError): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ ok: false, error });
  }
}
