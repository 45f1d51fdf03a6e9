import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost } from './loopback-guard';
import { preflight } from './preflight';

/**
 * `npm start`: the mall on http://127.0.0.1:$PORT (default 3000), backed by the local cloud.
 *   HOST  address the API listens on (default 127.0.0.1, this machine only; 0.0.0.0 opens it
 *         to the network, with the demo's published passwords and sandbox payments)
 *   MALL_DATA_DIR  where data is kept between runs (default .mall/ in the project)
 *   MALL_IN_MEMORY=1  keep nothing
 *   MALL_DEMO=off  start an empty shop instead of loading the demo shop into a new one
 *   MALL_LOCAL_RETRY_MS=20  pause between saga retries instead of the real backoff (tests)
 *   MALL_BUNDLE_CACHE  where bundles are cached by content (default node_modules/.cache/mall-bundles)
 * Node, Java and the port are checked first; esbuild's output goes to <data dir>/bundling.log.
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

const host = process.env.HOST || '127.0.0.1';

const demo = process.env.MALL_DEMO !== 'off';
const fresh = !dataDir || !fs.existsSync(path.join(dataDir, 'dynamodb'));

const say = (message: string) => (json ? process.stderr : process.stdout).write(`[mall] ${message}\n`);
const started = Date.now();
// Before anything slow (loading the CDK, bundling): what is missing is said at once.
const checked = await preflight({ port, host });
if (checked.problems.length) {
  for (const problem of checked.problems) console.error(`[mall] cannot start: ${problem}`);
  process.exit(1);
}
say(`checked ${checked.summary}`);
// Loaded only now: on an old Node or without Java, the checks above answer first.
const { startLocalCloud } = await import('./cloud');
const { setRoleByMobile } = await import('../admin/admin-role');
const { DEMO_ADMIN, DEMO_USER } = await import('../demo/demo-shop');
const { seedDemoShop } = await import('../demo/seed');
const cloud = await startLocalCloud({
  port,
  host,
  dataDir,
  env: process.env,
  ...(process.env.MALL_LOCAL_RETRY_MS ? { retryPauseMs: Number(process.env.MALL_LOCAL_RETRY_MS) } : {}),
  progress: say,
  onRequest: json ? undefined : (r) => say(`${r.method} ${r.path} -> ${r.status} (${r.ms} ms)`),
}).catch((error) => {
  console.error(`[mall] could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

// The demo's admin is made one the operator's way (npm run admin:grant), never by registering.
const makeAdmin = (mobile: string) => setRoleByMobile(mobile, 'admin', { endpoint: cloud.dynamoEndpoint });
if (demo && !fresh) {
  // Kept data from before roles were stored: the demo admin's record may have none yet.
  await makeAdmin(DEMO_ADMIN.mobile).catch(() => {});
}
if (demo && fresh) {
  say('loading the demo shop (MALL_DEMO=off starts an empty one)...');
  await seedDemoShop(cloud.apiUrl, DEMO_ADMIN, say, { demoShopper: true, makeAdmin }).catch(async (error) => {
    console.error(`[mall] could not load the demo shop: ${error instanceof Error ? error.message : error}`);
    await cloud.stop();
    process.exit(1);
  });
  say(`demo logins: admin ${DEMO_ADMIN.mobile} / ${DEMO_ADMIN.password}, shopper ${DEMO_USER.mobile} / ${DEMO_USER.password}`);
}

if (!isLoopbackHost(host))
  say(
    `WARNING: HOST=${host}: the API is reachable from the network, with ${demo ? "the demo's published passwords and " : ''}sandbox payments (anyone can mark an order paid)`,
  );

if (json) {
  process.stdout.write(
    JSON.stringify({
      apiUrl: cloud.apiUrl,
      awsEndpoint: cloud.awsEndpoint,
      dynamoEndpoint: cloud.dynamoEndpoint,
      consoleUrl: cloud.consoleUrl,
    }) + '\n',
  );
} else {
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: the mall's API is at ${cloud.apiUrl}`);
  say(`local console (traces, saga executions, metrics): ${cloud.consoleUrl}`);
  say(
    `API docs (Swagger UI, whose origin the API allows): ${cloud.awsEndpoint}/_docs/  (OpenAPI file: ${path.join(dataDir ?? '<temp dir>', 'openapi.json')})`,
  );
  say(`make an admin: npm run admin:grant -- --mobile <mobile> --endpoint ${cloud.dynamoEndpoint}`);
  const [mobile, password] = demo ? [DEMO_USER.mobile, DEMO_USER.password] : ['13900000009', 'your-password'];
  if (!demo)
    say(
      `register: curl -s -X POST ${cloud.apiUrl}/api/user/register -d '{"name":"Ann","gender":2,"mobile":"${mobile}","password":"${password}"}'`,
    );
  say(`log in:   curl -s -X POST ${cloud.apiUrl}/api/user/login -d '{"mobile":"${mobile}","password":"${password}"}'`);
  say(`browse:   curl -s ${cloud.apiUrl}/api/home/recommend   (the storefront's reads need no token)`);
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
