import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../infra/demo/demo-shop';

// `npm run seed` against a stage: the demo shopper (a published password) only when asked for.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { mobile: '19911112222', password: 'a-strong-admin-password' };
let server: Server;
let apiUrl: string;
let accounts: string[] = [];

/** Just enough of the mall's API for the seed: every account it signs in is recorded. */
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : {};
      const reply = (status: number, out: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      if (req.url === '/api/user/register') {
        accounts.push(body.mobile);
        return reply(200, { id: accounts.length });
      }
      if (req.url === '/api/user/login') {
        const role = body.mobile === ADMIN.mobile ? 'admin' : 'user';
        return reply(200, { accessToken: `x.${Buffer.from(JSON.stringify({ role })).toString('base64url')}.y` });
      }
      if (req.url === '/api/home/banners') return reply(200, { banners: [] });
      return reply(200, { id: 1 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  accounts = [];
});

const seed = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'infra/demo/seed-cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, MALL_API_URL: apiUrl, MALL_ADMIN_MOBILE: ADMIN.mobile, MALL_ADMIN_PASSWORD: ADMIN.password },
  });

describe('npm run seed', () => {
  it('does not create the demo shopper unless asked to', async () => {
    const { stdout } = await seed();
    expect(accounts).toEqual([ADMIN.mobile]);
    expect(stdout).toMatch(/demo shop loaded/);
    expect(stdout).toMatch(/--with-demo-shopper/);
  });

  it('creates it with --with-demo-shopper', async () => {
    await seed('--with-demo-shopper');
    expect(accounts).toEqual([ADMIN.mobile, DEMO_USER.mobile]);
  });
});
