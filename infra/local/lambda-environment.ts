import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from './template';

/**
 * One Lambda execution environment: a worker thread (lambda-worker.mjs) with only its
 * function's environment variables, handling one invocation at a time.
 */

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  stack?: string[];
}

export type InvokeResult = { ok: true; result: unknown } | { ok: false; error: LambdaError };

export type LogSink = (functionName: string, line: string) => void;

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lambda-worker.mjs');

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

/** Node options that load code into a thread before its script: TypeScript loaders (tsx), test runners' hooks. */
const CODE_LOADING = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The Node options an environment runs with: this process's, without those that load code. A
 * worker inherits its parent's options, so under `tsx` (npm start, the benchmarks) every
 * environment ran the bundle through tsx's module hooks, which Lambda's runtime never does, at
 * about three times the CPU per cold start. Other options (--enable-source-maps, --cpu-prof...) stay.
 */
export function environmentExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const flag = arg.split('=', 1)[0]!;
    if (!CODE_LOADING.has(flag)) kept.push(arg);
    else if (flag === arg) i++; // its value is the next argument
  }
  return kept;
}

export class Environment {
  private worker: Worker | undefined;
  /** Settles when the environment is initialized: with its init error, if the init failed. */
  readonly ready: Promise<LambdaError | undefined>;
  private pending: { id: string; resolve: (r: InvokeResult) => void } | undefined;
  private exited = false;

  constructor(spec: FunctionSpec, runtimeEnvironment: Record<string, string>, log: LogSink) {
    this.ready = initializing.run(() => this.start(spec, runtimeEnvironment, log));
  }

  private start(spec: FunctionSpec, runtimeEnvironment: Record<string, string>, log: LogSink): Promise<LambdaError | undefined> {
    if (this.exited) return Promise.resolve({ errorType: 'Runtime.ExitError', errorMessage: 'the environment was stopped before init' });
    const worker = new Worker(WORKER, {
      execArgv: environmentExecArgv(),
      env: {
        ...runtimeEnvironment,
        ...spec.environment,
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        LAMBDA_TASK_ROOT: path.dirname(spec.entry),
        _HANDLER: `${path.basename(spec.entry).replace(/\.[cm]?js$/, '')}.${spec.handlerExport}`,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        // As Lambda sets it in every environment it starts on demand (Powertools reports cold starts only then).
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
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
