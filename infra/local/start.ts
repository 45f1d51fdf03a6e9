import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud } from './cloud';

/**
 * `npm start`: the mall on http://localhost:$PORT (default 3000), backed by the local cloud.
 *   MALL_DATA_DIR  where data is kept between runs (default .mall/ in the project)
 *   MALL_IN_MEMORY=1  keep nothing
 * With --json it prints one JSON line {apiUrl, awsEndpoint, ...} when ready (the tests use it).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const json = process.argv.includes('--json');
const inMemory = process.env.MALL_IN_MEMORY === '1' || process.argv.includes('--in-memory');
const dataDir = inMemory ? undefined : path.resolve(process.env.MALL_DATA_DIR ?? path.join(root, '.mall'));
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${process.env.PORT}`);
  process.exit(2);
}

const say = (message: string) => (json ? process.stderr : process.stdout).write(`[mall] ${message}\n`);
const started = Date.now();
const cloud = await startLocalCloud({
  port,
  dataDir,
  progress: say,
  onRequest: json ? undefined : (r) => say(`${r.method} ${r.path} -> ${r.status} (${r.ms} ms)`),
}).catch((error) => {
  console.error(`[mall] could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

if (json) {
  process.stdout.write(JSON.stringify({ apiUrl: cloud.apiUrl, awsEndpoint: cloud.awsEndpoint, dynamoEndpoint: cloud.dynamoEndpoint }) + '\n');
} else {
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: the mall's API is at ${cloud.apiUrl}`);
  say(`try: curl -s -X POST ${cloud.apiUrl}/api/user/register -H 'content-type: application/json' -d '{"name":"Ann","gender":1,"mobile":"13800000001","password":"secret123"}'`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await cloud.stop();
    process.exit(0);
  });
}
