import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentExecArgv } from '../../infra/local/lambda-environment';
import { LocalLambdas } from '../../infra/local/lambda-runtime';
import { LocalTelemetry } from '../../infra/local/telemetry';
import type { FunctionSpec } from '../../infra/local/template';

// A function whose environments each have an id, take INIT_MS to initialize, and answer after event.ms.
const HANDLER = `
import { randomUUID } from 'node:crypto';
const environmentId = randomUUID();
await new Promise((resolve) => setTimeout(resolve, Number(process.env.INIT_MS ?? 0)));
export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.ms ?? 0));
  return { environmentId, execArgv: process.execArgv, initializationType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };
};
`;

let dir: string;
const spec = (initMs: number): FunctionSpec => ({
  logicalId: 'Probe',
  functionName: 'probe',
  name: 'Test/Probe',
  entry: path.join(dir, 'index.mjs'),
  handlerExport: 'handler',
  environment: { INIT_MS: String(initMs) },
  timeoutSeconds: 30,
  memoryMb: 128,
});
const lambdasWith = (initMs: number, maxConcurrency: number) =>
  new LocalLambdas([spec(initMs)], {}, () => {}, new LocalTelemetry(), maxConcurrency);
async function invoke(
  lambdas: LocalLambdas,
  event: { ms?: number },
): Promise<{ environmentId: string; execArgv: string[]; initializationType?: string }> {
  const outcome = await lambdas.invoke('Probe', event);
  if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  return outcome.result as { environmentId: string; execArgv: string[]; initializationType?: string };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-pool-'));
  fs.writeFileSync(path.join(dir, 'index.mjs'), HANDLER);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('local Lambda environments', () => {
  it('hand a waiting invocation the environment that is free first, not the cold one its arrival started', async () => {
    const lambdas = lambdasWith(2000, 2);
    try {
      const warm = await invoke(lambdas, {}); // one environment, now idle
      // The first takes the idle environment for 100 ms; the second finds none free and makes the
      // function scale out, but the warm one is free long before the new one's 2 s init ends.
      const [first, second] = await Promise.all([invoke(lambdas, { ms: 100 }), invoke(lambdas, {})]);
      expect(first.environmentId).toBe(warm.environmentId);
      expect(second.environmentId).toBe(warm.environmentId);
    } finally {
      await lambdas.stop();
    }
  });

  it('run the bundle without the Node options that load code into this process (tsx, test hooks)', () => {
    // A local cloud run under tsx, as npm start and the benchmarks run it.
    const probe = path.join(dir, 'probe.mts');
    fs.writeFileSync(
      probe,
      `import { LocalLambdas } from ${JSON.stringify(path.resolve('infra/local/lambda-runtime.ts'))};
import { LocalTelemetry } from ${JSON.stringify(path.resolve('infra/local/telemetry.ts'))};
const lambdas = new LocalLambdas([${JSON.stringify(spec(0))}], {}, () => {}, new LocalTelemetry(), 1);
const outcome = await lambdas.invoke('Probe', {});
await lambdas.stop();
console.log(JSON.stringify(outcome));`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: path.resolve('.'), encoding: 'utf8' });
    const outcome = JSON.parse(out.trim().split('\n').pop()!);
    expect(outcome.ok).toBe(true);
    expect(outcome.result.execArgv).toEqual([]);
  });

  it('are started on demand, as Lambda tells them (AWS_LAMBDA_INITIALIZATION_TYPE)', async () => {
    const lambdas = lambdasWith(0, 1);
    try {
      expect((await invoke(lambdas, {})).initializationType).toBe('on-demand');
    } finally {
      await lambdas.stop();
    }
  });

  it('keep the other Node options', () => {
    expect(
      environmentExecArgv([
        '--import',
        'tsx',
        '--enable-source-maps',
        '-r',
        'x.cjs',
        '--loader=y.mjs',
        '--cpu-prof',
        '--max-old-space-size=512',
      ]),
    ).toEqual(['--enable-source-maps', '--cpu-prof', '--max-old-space-size=512']);
  });
});
