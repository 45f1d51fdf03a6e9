import { describe, expect, it, vi } from 'vitest';
import { authorize, logout } from '../../functions/user/session-service';
import type { TokenSettings } from '../../functions/user/tokens';
import { login, register, userInfo } from '../../functions/user/user-service';
import type { Caller } from '../../shared/caller';
import { ann, appError, lockout, MemoryUserStore, tokens } from './memory-user-store';

describe('user rules', () => {
  it('registers with the first id and keeps only a hash of the password', async () => {
    const users = new MemoryUserStore();
    expect(await register(users, ann)).toEqual({ id: 1, name: 'Ann', gender: 2, mobile: '13800000001' });
    const stored = users.credentials.get(ann.mobile)!;
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(ann.password);
  });

  it('refuses a registered mobile with 409 MOBILE_TAKEN', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const error = await appError(register(users, { ...ann, name: 'Impostor' }));
    expect([error.status, error.code]).toEqual([409, 'MOBILE_TAKEN']);
    expect(users.profiles.get(1)?.name).toBe('Ann');
  });

  it('logs in with the right password and gives a token that authorizes', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const { accessToken, accessExpire } = await login(users, tokens, lockout, ann);
    expect(accessExpire).toBeGreaterThan(Date.now() / 1000);
    expect(await authorize(users, users, tokens, `Bearer ${accessToken}`)).toMatchObject({ uid: 1, role: 'user' });
  });

  it('refuses a wrong password and an unknown mobile alike', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const wrong = await appError(login(users, tokens, lockout, { mobile: ann.mobile, password: 'nope-nope' }));
    const unknown = await appError(login(users, tokens, lockout, { mobile: '19999999999', password: ann.password }));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([401, 'INVALID_CREDENTIALS', unknown.message]);
    expect(unknown.code).toBe('INVALID_CREDENTIALS');
  });

  it('issues the role stored on the record; the authorizer answers the stored role, not the token claim', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    await register(users, { ...ann, mobile: '13800000002' });
    users.roles.set(1, 'admin'); // as the operator's admin:grant does
    const adminToken = (await login(users, tokens, lockout, ann)).accessToken;
    const userToken = (await login(users, tokens, lockout, { ...ann, mobile: '13800000002' })).accessToken;
    expect((await authorize(users, users, tokens, `Bearer ${adminToken}`))?.role).toBe('admin');
    expect((await authorize(users, users, tokens, `Bearer ${userToken}`))?.role).toBe('user');
    users.roles.set(1, 'user'); // revoked: the token still says admin
    expect((await authorize(users, users, tokens, `Bearer ${adminToken}`))?.role).toBe('user');
    users.roles.delete(2); // no such user any more
    expect(await authorize(users, users, tokens, `Bearer ${userToken}`)).toBeUndefined();
  });

  it('answers userinfo for the caller, and 404 if the caller no longer exists', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const caller: Caller = { uid: 1, role: 'user', name: 'Ann', jti: 'j', exp: 0 };
    expect(await userInfo(users, caller)).toMatchObject({ id: 1, name: 'Ann' });
    const error = await appError(userInfo(users, { ...caller, uid: 99 }));
    expect([error.status, error.code]).toEqual([404, 'USER_NOT_FOUND']);
  });

  it('logout revokes exactly that token, until it expires, and flushes cached decisions', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const first = (await login(users, tokens, lockout, ann)).accessToken;
    const second = (await login(users, tokens, lockout, ann)).accessToken;
    const claims = (await authorize(users, users, tokens, `Bearer ${first}`))!;
    const cache = { flush: vi.fn(async () => {}) };
    await logout(users, cache, { intervalMs: 5000 }, { ...claims });
    expect(cache.flush).toHaveBeenCalledOnce();
    expect(users.revoked.get(claims.jti)).toBe(claims.exp);
    expect(await authorize(users, users, tokens, `Bearer ${first}`)).toBeUndefined();
    expect(await authorize(users, users, tokens, `Bearer ${second}`)).toMatchObject({ uid: 1 });
  });

  it('refuses missing and malformed headers, but surfaces a key outage instead of calling it a bad token', async () => {
    const users = new MemoryUserStore();
    expect(await authorize(users, users, tokens, undefined)).toBeUndefined();
    expect(await authorize(users, users, tokens, 'Bearer x.y.z')).toBeUndefined();
    const down: TokenSettings = { ...tokens, key: async () => Promise.reject(new Error('secrets manager down')) };
    const token = (await login(await withAnn(users), tokens, lockout, ann)).accessToken;
    await expect(authorize(users, users, down, `Bearer ${token}`)).rejects.toThrow(/secrets manager down/);
  });
});

async function withAnn(users: MemoryUserStore): Promise<MemoryUserStore> {
  await register(users, ann);
  return users;
}
