import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionEnvironment } from '../../infra/constructs/service-function';
import { esbuildOptions } from '../bench/function-bundle';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'logs-an-error.ts');
let dir: string;
let bundle: string;

/** Runs the bundle as Lambda would start it, with the function's environment, and answers its logged error. */
function loggedError(): { location: string; stack: string } {
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', ...functionEnvironment('fixture') };
  const run = spawnSync(process.execPath, [bundle], { env, encoding: 'utf8' });
  const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.includes('unhandled error'));
  return JSON.parse(line!).error;
}

/** Functions start without --enable-source-maps; the logger maps an error's stack as it writes it. */
describe('source-mapped stack traces', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-trace-'));
    bundle = path.join(dir, 'index.mjs');
    await build(esbuildOptions(fixture, bundle));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('do not cost a cold start: no function parses its source map at load', () => {
    expect(functionEnvironment('order').NODE_OPTIONS ?? '').not.toContain('source-maps');
  });

  it('point a logged error at its source file and line, read from the map beside the bundle', () => {
    const error = loggedError();
    expect(error.stack.split('\n')[1]).toContain(`${fixture}:5:`);
    expect(error.location).toBe(`${fixture}:5`);
  });

  it('are left as they are when the bundle has no map', () => {
    fs.rmSync(`${bundle}.map`);
    const error = loggedError();
    expect(error.stack.split('\n')[1]).toMatch(/\(file:\/\/.*\/index\.mjs:\d+:\d+\)$/);
    expect(error.stack).not.toContain(fixture);
    expect(error.location).toMatch(/index\.mjs:\d+$/);
  });
});
