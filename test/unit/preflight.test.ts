import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflight } from '../../infra/local/preflight';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe("npm start's checks", () => {
  it('names an old Node, a missing Java and a taken port, each with what to do', async () => {
    const { problems } = await preflight({ port: busyPort, host: '127.0.0.1', nodeVersion: '20.19.0', java: 'no-such-java' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/Node\.js 22 or later is needed.*this is 20\.19\.0/);
    expect(problems[1]).toMatch(/Java 17 or later is needed.*`no-such-java` could not be run \(ENOENT\).*install a JDK/);
    expect(problems[2]).toMatch(new RegExp(`port ${busyPort} on 127\\.0\\.0\\.1 is in use.*set PORT`));
  });

  it('passes on this machine with a free port', async () => {
    const { problems, summary } = await preflight({ port: 0, host: '127.0.0.1' });
    expect(problems).toEqual([]);
    expect(summary).toMatch(/^Node \d+\.\d+\.\d+, Java \d+, any free port$/);
  });

  it('stops npm start without Java before it synthesizes or bundles anything', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mall-preflight-'));
    // Only node's own directory on PATH: no java.
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'infra/local/start.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: path.dirname(process.execPath), PORT: '0', MALL_DATA_DIR: dataDir, MALL_DEMO: 'off' },
      timeout: 60_000,
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\[mall\] cannot start: Java 17 or later is needed/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/synthesiz|Bundling|bundled/);
  });
});
