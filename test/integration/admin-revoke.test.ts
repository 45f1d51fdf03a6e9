import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAdminRole } from '../../functions/user/admin-service';
import { DynamoUserStore } from '../../functions/user/user-repository';
import { LastAdminError, setRoleByMobile } from '../../infra/admin/admin-role';
import { AppError } from '../../shared/errors';
import { localTable } from './local-table';

// The operator's `npm run admin:revoke` against a real user table: it will not leave the shop
// without an admin unless told to (--force).
const TABLE = 'Users';
let local: Awaited<ReturnType<typeof localTable>>;
let db: DynamoDBDocumentClient;
let users: DynamoUserStore;

beforeAll(async () => {
  local = await localTable(TABLE, { pkOnly: true });
  db = local.db;
  users = new DynamoUserStore(db, TABLE);
  for (const [id, mobile] of [
    [1, '13800000001'],
    [2, '13800000002'],
    [3, '13800000003'],
  ] as const) {
    await users.create({ id, name: `u${id}`, gender: 1, mobile }, 'hash');
  }
}, 90_000);

afterAll(() => local?.stop());

const target = () => ({ endpoint: local.dynamo.endpoint, table: TABLE });
const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', path.join('infra', 'admin', 'admin-cli.ts'), ...args], {
    env: { ...process.env, MALL_STAGE: '' },
  }).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('admin:revoke', () => {
  it('revokes an admin while another is left', async () => {
    await setRoleByMobile('13800000001', 'admin', target());
    await setRoleByMobile('13800000002', 'admin', target());
    expect(await setRoleByMobile('13800000002', 'user', target())).toMatchObject({ uid: 2, lastAdmin: false });
    expect(await users.findRole(2)).toBe('user');
    expect(await setRoleByMobile('13800000003', 'user', target())).toMatchObject({ lastAdmin: false }); // not an admin: nothing to guard
  });

  it('refuses to revoke the last admin (exit 1, a clear message), and does it with --force, warning', async () => {
    expect(await users.findRole(1)).toBe('admin');
    await expect(setRoleByMobile('13800000001', 'user', target())).rejects.toThrow(LastAdminError);
    const refused = await cli('--revoke', '--mobile', '13800000001', '--endpoint', local.dynamo.endpoint, '--table', TABLE);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/13800000001 is the last admin of Users: revoking leaves the shop with no admin.*--force/);
    expect(await users.findRole(1)).toBe('admin');

    const forced = await cli('--revoke', '--force', '--mobile', '13800000001', '--endpoint', local.dynamo.endpoint, '--table', TABLE);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/WARNING: Users has no admin any more/);
    expect(await users.findRole(1)).toBe('user');
  }, 30_000);
});

describe('POST /api/user/admin/revoke (setAdminRole)', () => {
  const cache = { flush: async () => {} };
  const caller = (uid: number) => ({ uid, role: 'admin' as const, name: '', jti: 'j', exp: 0 });

  it('two admins revoking each other at once leave one: the second, no longer an admin, is refused', async () => {
    await setRoleByMobile('13800000002', 'admin', target());
    await setRoleByMobile('13800000003', 'admin', target());
    // Both were admins when the authorizer let them in; admin 2's revoke of 3 commits first.
    await setAdminRole(users, cache, caller(2), 3, 'user');
    const late = await setAdminRole(users, cache, caller(3), 2, 'user').catch((e) => e);
    expect(late).toBeInstanceOf(AppError);
    expect([late.status, late.code]).toEqual([403, 'ADMIN_ONLY']);
    expect(await users.findRole(2)).toBe('admin');
    // A grant by a revoked admin is refused the same way.
    await expect(setAdminRole(users, cache, caller(3), 1, 'admin')).rejects.toMatchObject({ code: 'ADMIN_ONLY' });
    expect(await users.findRole(1)).toBe('user');
  });
});
