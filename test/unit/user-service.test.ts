import { describe, expect, it, vi } from 'vitest';
import type { UserProfile } from '../../functions/user/schemas';
import type { TokenSettings } from '../../functions/user/tokens';
import { type Credential, MobileTakenError, type UserStore } from '../../functions/user/user-repository';
import { authorize, login, logout, register, userInfo } from '../../functions/user/user-service';
import type { Caller } from '../../shared/caller';
import { AppError } from '../../shared/errors';

/** An in-memory UserStore with the same contract as the DynamoDB one (tested end to end). */
class MemoryUserStore implements UserStore {
  lastId = 0;
  profiles = new Map<number, UserProfile>();
  credentials = new Map<string, Credential>();
  revoked = new Map<string, number>();
  async nextUserId() {
    return ++this.lastId;
  }
  async create(profile: UserProfile, passwordHash: string) {
    if (this.credentials.has(profile.mobile)) throw new MobileTakenError();
    this.profiles.set(profile.id, profile);
    this.credentials.set(profile.mobile, { uid: profile.id, mobile: profile.mobile, name: profile.name, passwordHash });
  }
  async findCredential(mobile: string) {
    return this.credentials.get(mobile);
  }
  async findProfile(uid: number) {
    return this.profiles.get(uid);
  }
  async revokeToken(jti: string, expiresAt: number) {
    this.revoked.set(jti, expiresAt);
  }
  async isTokenRevoked(jti: string) {
    return this.revoked.has(jti);
  }
}

const tokens: TokenSettings = {
  key: async () => new TextEncoder().encode('unit-test-key-'.repeat(4)),
  issuer: 'mall/test',
  audience: 'mall-api',
  ttlSeconds: 600,
};
const noAdmins = new Set<string>();
const ann = { name: 'Ann', gender: 2, mobile: '13800000001', password: 'password-1' };

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

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
    const { accessToken, accessExpire } = await login(users, tokens, noAdmins, ann);
    expect(accessExpire).toBeGreaterThan(Date.now() / 1000);
    expect(await authorize(users, tokens, `Bearer ${accessToken}`)).toMatchObject({ uid: 1, role: 'user' });
  });

  it('refuses a wrong password and an unknown mobile alike', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const wrong = await appError(login(users, tokens, noAdmins, { mobile: ann.mobile, password: 'nope-nope' }));
    const unknown = await appError(login(users, tokens, noAdmins, { mobile: '19999999999', password: ann.password }));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([401, 'INVALID_CREDENTIALS', unknown.message]);
    expect(unknown.code).toBe('INVALID_CREDENTIALS');
  });

  it('gives the admin role to configured admin mobiles only', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    await register(users, { ...ann, mobile: '13800000002' });
    const admins = new Set(['13800000001']);
    const adminToken = (await login(users, tokens, admins, ann)).accessToken;
    const userToken = (await login(users, tokens, admins, { ...ann, mobile: '13800000002' })).accessToken;
    expect((await authorize(users, tokens, `Bearer ${adminToken}`))?.role).toBe('admin');
    expect((await authorize(users, tokens, `Bearer ${userToken}`))?.role).toBe('user');
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
    const first = (await login(users, tokens, noAdmins, ann)).accessToken;
    const second = (await login(users, tokens, noAdmins, ann)).accessToken;
    const claims = (await authorize(users, tokens, `Bearer ${first}`))!;
    const cache = { flush: vi.fn(async () => {}) };
    await logout(users, cache, { ...claims });
    expect(cache.flush).toHaveBeenCalledOnce();
    expect(users.revoked.get(claims.jti)).toBe(claims.exp);
    expect(await authorize(users, tokens, `Bearer ${first}`)).toBeUndefined();
    expect(await authorize(users, tokens, `Bearer ${second}`)).toMatchObject({ uid: 1 });
  });

  it('refuses missing and malformed headers, but surfaces a key outage instead of calling it a bad token', async () => {
    const users = new MemoryUserStore();
    expect(await authorize(users, tokens, undefined)).toBeUndefined();
    expect(await authorize(users, tokens, 'Bearer x.y.z')).toBeUndefined();
    const down: TokenSettings = { ...tokens, key: async () => Promise.reject(new Error('secrets manager down')) };
    const token = (await login(await withAnn(users), tokens, noAdmins, ann)).accessToken;
    await expect(authorize(users, down, `Bearer ${token}`)).rejects.toThrow(/secrets manager down/);
  });
});

async function withAnn(users: MemoryUserStore): Promise<MemoryUserStore> {
  await register(users, ann);
  return users;
}
