import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { LocalIam } from './iam';
import { Environment, type InvokeResult, type LogSink } from './lambda-environment';
import { LocalTelemetry } from './telemetry';
import type { FunctionSpec } from './template';

export type { InvokeResult, LambdaError, LogSink } from './lambda-environment';

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
  private readonly faults = new Map<string, { remaining: number; errorType: string; delayMs?: number }>();
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
    } else if (fault && fault.remaining > 0 && !fault.delayMs) {
      fault.remaining--;
      result = { ok: false, error: { errorType: fault.errorType, errorMessage: 'fault injected by the local cloud' } };
    } else {
      if (fault && fault.remaining > 0) {
        fault.remaining--;
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      }
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
   * running, as if the participant were down; or, given `delayMs`, run that much later, as if
   * it were slow.
   */
  injectFaults(logicalId: string, count: number, errorType = 'ServiceUnavailable', delayMs?: number): void {
    if (!this.pools.has(logicalId)) throw new Error(`no function ${logicalId}`);
    this.faults.set(logicalId, { remaining: count, errorType, ...(delayMs ? { delayMs } : {}) });
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

/**
 * A function's execution environments. As in Lambda, an invocation that finds no free
 * environment makes the function scale out: a new environment starts (a cold start). Unlike
 * Lambda, whose environments each have a CPU of their own, here they share the machine's cores
 * and initialize a few at a time (lambda-environment.ts), so an invocation takes whichever
 * environment is free first, a warm one released meanwhile or the next one to finish its init,
 * rather than waiting behind the init queue for the one its arrival started. An environment that
 * failed its init still goes to a waiting invocation, which gets the init error, as in Lambda.
 */
class FunctionPool {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly waiting: Array<(env: Environment) => void> = [];
  /** Environments started and not yet initialized. */
  private starting = 0;

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
    const env = new Promise<Environment>((resolve) => this.waiting.push(resolve));
    this.scaleOut();
    return env;
  }

  /** Starts environments while more invocations wait than environments are starting, up to the limit. */
  private scaleOut(): void {
    while (this.waiting.length > this.starting && this.all.size < this.maxConcurrency) {
      const env = new Environment(this.spec, this.runtimeEnvironment, this.log);
      this.all.add(env);
      this.starting++;
      void env.ready.then(() => {
        this.starting--;
        this.hand(env);
      });
    }
  }

  private hand(env: Environment): void {
    const next = this.waiting.shift();
    if (next) next(env);
    else this.idle.push(env);
  }

  private release(env: Environment, reusable: boolean): void {
    if (reusable) {
      this.hand(env);
      return;
    }
    this.all.delete(env);
    void env.terminate();
    this.scaleOut();
  }
}
