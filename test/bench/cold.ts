/**
 * `npm run bench:cold`: what a cold start of each function costs that we control.
 *
 * Bundles every function (functions/<service>/{api,saga,events,schedule,internal}/*.ts) with the
 * construct's own esbuild options (FUNCTION_BUNDLING), and a bare handler that does one DynamoDB
 * GetItem (bare-getitem.ts) the same way. Then, in rounds, imports each bundle in a fresh Node
 * process with the function's environment (its NODE_OPTIONS included), paired with a fresh
 * import of the bare handler in the same round, in alternating order. Prints per function:
 *   - gzip and minified size of the bundle, and the bytes of it that are zod and the X-Ray SDK;
 *   - init: the median over the rounds of (the import's CPU time / the bare handler's), and the
 *     same for the import's wall time and for the whole process (node's own start-up included).
 * then the largest size and init ratio. Quote ratios, not milliseconds: the machine is shared.
 *
 * COLD_ROUNDS (default 7) sets the rounds; COLD_ONLY (a substring) limits the functions.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { functionEnvironment } from '../../infra/constructs/service-function';
import { esbuildOptions } from './function-bundle';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outRoot = path.join(root, '.mall', 'bench-cold');
const rounds = Number(process.env.COLD_ROUNDS ?? 7);
const only = process.env.COLD_ONLY ?? '';
const TRIGGERS = ['api', 'saga', 'events', 'schedule', 'internal'];

interface Bundle {
  name: string;
  file: string;
  env: Record<string, string>;
  gzip: number;
  minified: number;
  zod: number;
  xray: number;
}

/** The bytes of the output that come from packages whose path matches. */
function bytesFrom(meta: Metafile, pattern: RegExp): number {
  let total = 0;
  for (const output of Object.values(meta.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (pattern.test(input)) total += bytesInOutput;
  return total;
}

const XRAY = /node_modules\/(aws-xray-sdk-core|cls-hooked|async-hook-jl|emitter-listener|shimmer|semver|atomic-batcher)\//;

async function bundle(name: string, entry: string, env: Record<string, string>): Promise<Bundle> {
  const file = path.join(outRoot, name.replaceAll('/', '-'), 'index.mjs');
  const { metafile } = await build({ ...esbuildOptions(entry, file), metafile: true });
  const code = fs.readFileSync(file);
  return {
    name,
    file,
    env,
    gzip: gzipSync(code, { level: 9 }).length,
    minified: code.length,
    zod: bytesFrom(metafile!, /node_modules\/zod\//),
    xray: bytesFrom(metafile!, XRAY),
  };
}

/** What Lambda sets in every environment (the parts the SDK and Powertools read at import). */
function lambdaEnvironment(name: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `bench-${name.replaceAll('/', '-')}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  };
}

/**
 * Stand-ins for the variables the stacks set (tables, ARNs, limits), read from the code's
 * requireEnv/requireIntEnv calls: no value is used at import beyond its shape.
 */
function stackEnvironment(): Record<string, string> {
  const env: Record<string, string> = { ROUTE_ACCESS: 'user', ORDER_SAGA_TYPE: 'STANDARD', API_STAGE: 'bench' };
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of [...walk(path.join(root, 'functions')), ...walk(path.join(root, 'shared'))]) {
    for (const [, int, name] of fs.readFileSync(file, 'utf8').matchAll(/require(Int)?Env\('([A-Z0-9_]+)'\)/g)) {
      env[name!] ??= int ? '60' : name!.endsWith('_ARN') ? `arn:aws:states:us-east-1:123456789012:stateMachine:${name}` : `bench-${name}`;
    }
  }
  return env;
}

// Prints the import's CPU time (user + system) and wall time, in ms.
const IMPORT =
  'const c=process.cpuUsage(),t=performance.now();await import(process.argv[1]);' +
  'const w=performance.now()-t,u=process.cpuUsage(c);process.stdout.write("\\n"+JSON.stringify([(u.user+u.system)/1e3,w]))';

/** What one cold import cost, in a fresh process. */
interface Sample {
  cpu: number;
  wall: number;
  process: number;
}
const FIGURES = ['cpu', 'wall', 'process'] as const;

function coldImport(b: Bundle): Sample {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT, pathToFileURL(b.file).href], {
    env: b.env,
    encoding: 'utf8',
    cwd: path.dirname(b.file),
  });
  const whole = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${b.name} failed to initialize:\n${run.stderr}`);
  // The last line: a bundle may print at import (a warning, a log line).
  const [cpu, wall] = JSON.parse(run.stdout.trim().split('\n').pop()!) as [number, number];
  return { cpu, wall, process: whole };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function entries(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const service of fs.readdirSync(path.join(root, 'functions')).sort())
    for (const trigger of TRIGGERS) {
      const dir = path.join(root, 'functions', service, trigger);
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir).sort())
        if (file.endsWith('.ts')) found.push([`${service}/${trigger}/${file.slice(0, -3)}`, path.join(dir, file)]);
    }
  return found.filter(([name]) => name.includes(only));
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

fs.rmSync(outRoot, { recursive: true, force: true });
const bare = await bundle('bare GetItem', path.join(root, 'test/bench/bare-getitem.ts'), {
  ...lambdaEnvironment('bare'),
  TABLE_NAME: 'bench',
});
const functions: Bundle[] = [];
const stacks = stackEnvironment();
for (const [name, entry] of entries()) {
  const service = name.split('/')[0]!;
  functions.push(await bundle(name, entry, { ...lambdaEnvironment(name), ...stacks, ...functionEnvironment(service) }));
}
process.stderr.write(`[bench] bundled ${functions.length} functions and the bare handler into ${path.relative(root, outRoot)}\n`);

type Figures = Record<(typeof FIGURES)[number], number[]>;
const noFigures = (): Figures => ({ cpu: [], wall: [], process: [] });
const ratios = new Map<Bundle, Figures>(functions.map((f) => [f, noFigures()]));
const cpuMs = new Map<Bundle, number[]>(functions.map((f) => [f, []]));
const bareSamples = noFigures();
coldImport(bare); // warm the file cache
for (let round = 0; round < rounds; round++) {
  for (const [i, f] of functions.entries()) {
    // Paired with a bare import right before or right after, alternately.
    const before = (round + i) % 2 === 0 ? coldImport(bare) : undefined;
    const sample = coldImport(f);
    const b = before ?? coldImport(bare);
    for (const k of FIGURES) {
      ratios.get(f)![k].push(sample[k] / b[k]);
      bareSamples[k].push(b[k]);
    }
    cpuMs.get(f)!.push(sample.cpu);
  }
  process.stderr.write(`[bench] round ${round + 1}/${rounds}\n`);
}

const ms = (values: number[]) => median(values).toFixed(0);
log('Every function bundled with FUNCTION_BUNDLING (infra/constructs/service-function.ts), started with its environment.');
log(`Ratios to a bare DynamoDB GetItem handler bundled the same way; medians of ${rounds} paired rounds, each in a fresh process:`);
log('  init x = CPU time of the import (user + system; robust on a busy machine); wall x = wall time of the import;');
log("  process x = the whole node process, node's own start-up included.");
log(
  `Bare handler: ${kb(bare.gzip)} KB gzip, import ${ms(bareSamples.cpu)} ms CPU, ${ms(bareSamples.wall)} ms wall, process ${ms(bareSamples.process)} ms.`,
);
log();
const header = ['function', 'gzip KB', 'min KB', 'zod KB', 'x-ray KB', 'init ms', 'init x', 'wall x', 'process x'];
const rows = functions.map((f) => {
  const r = ratios.get(f)!;
  const x = (values: number[]) => median(values).toFixed(2);
  return [f.name, kb(f.gzip), kb(f.minified), kb(f.zod), kb(f.xray), ms(cpuMs.get(f)!), x(r.cpu), x(r.wall), x(r.process)];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
log(line(header));
for (const row of rows) log(line(row));
log();
const maxGzip = functions.reduce((m, f) => (f.gzip > m.gzip ? f : m));
const maxOf = (k: (typeof FIGURES)[number]) => {
  const worst = functions.reduce((m, f) => (median(ratios.get(f)![k]) > median(ratios.get(m)![k]) ? f : m));
  return `${median(ratios.get(worst)![k]).toFixed(2)}x (${worst.name})`;
};
log(`max gzip size: ${kb(maxGzip.gzip)} KB (${maxGzip.name}); target at most 150 KB`);
log(`max init ratio: ${maxOf('cpu')} the bare GetItem handler; target at most 1.3x`);
log(`max wall ratio: ${maxOf('wall')}; max process ratio: ${maxOf('process')}`);
