import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { setAdminRole } from '../../functions/user/admin-service';
import { needsRehash, verifyPassword } from '../../functions/user/passwords';
import { logout } from '../../functions/user/session-service';
import { login, register } from '../../functions/user/user-service';
import type { Caller } from '../../shared/caller';
import { ann, appError, lockout, MemoryUserStore, tokens } from './memory-user-store';

/** A hash as an older release stored it: scrypt at N=2^15 (or any other cost). */
function oldHash(password: string, n = 2 ** 15): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 });
  return ['scrypt', n, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

const caller = (uid: number, jti = `jti-${uid}`): Caller => ({ uid, role: 'admin', name: 'x', jti, exp: 2_000_000_000 });

describe('password storage', () => {
  it('rehashes a stored hash with older parameters at the next successful login, and keeps accepting it', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const legacy = oldHash('short1'); // a 6-character password from before the 8-character rule
    users.credentials.get(ann.mobile)!.passwordHash = legacy;
    expect(needsRehash(legacy)).toBe(true);

    await login(users, tokens, lockout, { mobile: ann.mobile, password: 'short1' });
    const rehashed = users.credentials.get(ann.mobile)!.passwordHash;
    expect(rehashed).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(rehashed)).toBe(false);
    expect(await verifyPassword('short1', rehashed)).toBe(true);
    await login(users, tokens, lockout, { mobile: ann.mobile, password: 'short1' });
    expect(users.credentials.get(ann.mobile)!.passwordHash).toBe(rehashed);
  });

  it('does not rehash on a wrong password', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const legacy = oldHash(ann.password);
    users.credentials.get(ann.mobile)!.passwordHash = legacy;
    await appError(login(users, tokens, lockout, { mobile: ann.mobile, password: 'wrong-password' }));
    expect(users.credentials.get(ann.mobile)!.passwordHash).toBe(legacy);
  });
});

describe('login backoff', () => {
  it('locks an account after 5 wrong passwords, refuses even the right one with 429 and Retry-After, doubles, caps, and resets on success', async () => {
    const users = new MemoryUserStore();
    await register(users, { ...ann, password: 'right-password' });
    const t0 = 1_000_000_000_000;
    const attempt = (password: string, at: number) => login(users, tokens, lockout, { mobile: ann.mobile, password }, at);
    for (let i = 0; i < 4; i++) expect((await appError(attempt('wrong-password', t0))).status).toBe(401);
    const fifth = await appError(attempt('wrong-password', t0));
    expect([fifth.status, fifth.code, fifth.retryAfter]).toEqual([429, 'TOO_MANY_ATTEMPTS', 30]);
    const whileLocked = await appError(attempt('right-password', t0 + 29_000));
    expect([whileLocked.status, whileLocked.retryAfter]).toEqual([429, 1]);
    expect(users.credentials.get(ann.mobile)!.failedLogins).toBe(5); // refused attempts are not counted

    const sixth = await appError(attempt('wrong-password', t0 + 30_000));
    expect(sixth.retryAfter).toBe(60);
    users.credentials.get(ann.mobile)!.failedLogins = 40;
    expect((await appError(attempt('wrong-password', t0 + 100_000))).retryAfter).toBe(900);

    expect(await attempt('right-password', t0 + 1_000_000)).toHaveProperty('accessToken');
    expect(users.credentials.get(ann.mobile)).toMatchObject({ failedLogins: 0, lockedUntil: 0 });
  });
});

describe('logout flush throttle', () => {
  it('flushes at most once per interval for the whole stage, and every logout returns after a flush that began after its revocation', async () => {
    const users = new MemoryUserStore();
    let clock = 10_000;
    const flushes: number[] = [];
    const cache = { flush: vi.fn(async () => void flushes.push(clock)) };
    const throttle = {
      intervalMs: 5000,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };

    await logout(users, cache, throttle, caller(1));
    clock += 100;
    await logout(users, cache, throttle, caller(2)); // waits for the next window, then flushes
    clock += 100;
    await logout(users, cache, throttle, caller(3));
    expect(flushes).toEqual([10_000, 15_000, 20_000]);
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]! - flushes[i - 1]!).toBeGreaterThanOrEqual(5000);
    expect([...users.revoked.keys()]).toEqual(['jti-1', 'jti-2', 'jti-3']);
  });

  it('counts on a flush another logout claimed after this revocation, instead of flushing again', async () => {
    const users = new MemoryUserStore();
    let clock = 50_000;
    const cache = { flush: vi.fn(async () => {}) };
    const throttle = { intervalMs: 5000, now: () => clock, sleep: vi.fn(async () => {}) };
    // Another container claimed the flush just after this logout's revocation was written.
    const claim = users.claimAuthorizerFlush.bind(users);
    vi.spyOn(users, 'claimAuthorizerFlush').mockImplementationOnce(async (now, interval) => {
      clock += 10;
      await claim(clock, interval);
      return claim(now + 10, interval);
    });
    await logout(users, cache, throttle, caller(1));
    expect(cache.flush).not.toHaveBeenCalled();
    expect(throttle.sleep).not.toHaveBeenCalled();
  });
});

describe('admin role changes', () => {
  it('grants and revokes on the record, flushes cached decisions, and refuses revoking oneself or an unknown user', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    await register(users, { ...ann, mobile: '13800000002' });
    users.roles.set(1, 'admin'); // the caller's stored role: checked with the change
    const cache = { flush: vi.fn(async () => {}) };
    expect(await setAdminRole(users, cache, caller(1), 2, 'admin')).toEqual({ uid: 2, role: 'admin' });
    expect(users.roles.get(2)).toBe('admin');
    expect(await setAdminRole(users, cache, caller(1), 2, 'user')).toEqual({ uid: 2, role: 'user' });
    expect(users.roles.get(2)).toBe('user');
    expect(cache.flush).toHaveBeenCalledTimes(2);
    const self = await appError(setAdminRole(users, cache, caller(1), 1, 'user'));
    expect([self.status, self.code]).toEqual([409, 'CANNOT_REVOKE_SELF']);
    const unknown = await appError(setAdminRole(users, cache, caller(1), 99, 'admin'));
    expect([unknown.status, unknown.code]).toEqual([404, 'USER_NOT_FOUND']);
  });
});
