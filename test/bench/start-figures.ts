import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npx tsx test/bench/start-figures.ts [runs]`: how long `npm start` takes to be ready with an
 * empty bundle cache (every function bundled) and then with a warm one (an unchanged checkout),
 * in one run on this machine, with the phases `npm start` prints. In memory, on a free port, no
 * demo shop; the cache is a temporary MALL_BUNDLE_CACHE, so the project's own is left alone.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const warmRuns = Number(process.argv[2] ?? 2);
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mall-bench-cache-'));

interface StartRun {
  seconds: number;
  phases: string[];
}

function start(): Promise<StartRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'infra/local/start.ts'), '--json'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MALL_IN_MEMORY: '1', MALL_DEMO: 'off', MALL_BUNDLE_CACHE: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${stderr}`)));
    child.stdout.once('data', () => {
      const seconds = (Date.now() - started) / 1000;
      child.removeAllListeners('exit');
      child.once('exit', () => resolve({ seconds, phases: stderr.split('\n').filter((l) => l.startsWith('[mall]')) }));
      child.kill('SIGTERM');
    });
  });
}

const load = () => os.loadavg()[0]!.toFixed(1);
console.log(`npm start, ready (its JSON line printed), on ${os.availableParallelism()} cores, load ${load()} at the start`);
const cold = await start();
console.log(`cold cache: ${cold.seconds.toFixed(1)} s`);
for (const line of cold.phases) console.log(`  ${line}`);
const warm: StartRun[] = [];
for (let i = 0; i < warmRuns; i++) {
  warm.push(await start());
  console.log(`warm cache, run ${i + 1}: ${warm[i]!.seconds.toFixed(1)} s`);
  for (const line of warm[i]!.phases) console.log(`  ${line}`);
}
const best = Math.min(...warm.map((w) => w.seconds));
console.log(
  `best warm start ${best.toFixed(1)} s = ${((100 * best) / cold.seconds).toFixed(0)}% of the cold start (target: ready in at most 15 s)`,
);
console.log(`load ${load()} at the end`);
fs.rmSync(cache, { recursive: true, force: true });
