import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, issueToken, type TokenSettings, verifyToken } from '../../functions/user/tokens';

const key = new TextEncoder().encode('k'.repeat(64));
const settings: TokenSettings = { key: async () => key, issuer: 'mall/test', audience: 'mall-api', ttlSeconds: 3600 };

/** A token with the right issuer, audience, expiry and key, but the given claims and algorithm. */
function signOwn(claims: Record<string, unknown>, alg: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .setJti('x')
    .sign(key);
}

describe('access tokens', () => {
  it('round-trips uid, role, jti and exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { token, exp } = await issueToken(settings, { uid: 42, role: 'admin', name: 'Ann' }, now);
    expect(exp).toBe(now + 3600);
    expect(await verifyToken(settings, token)).toEqual({ uid: 42, role: 'admin', name: 'Ann', jti: expect.any(String), exp, sv: 0 });
  });

  it('gives every token its own id', async () => {
    const a = await verifyToken(settings, (await issueToken(settings, { uid: 1, role: 'user', name: 'x' })).token);
    const b = await verifyToken(settings, (await issueToken(settings, { uid: 1, role: 'user', name: 'x' })).token);
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses an expired token', async () => {
    const { token } = await issueToken(settings, { uid: 1, role: 'user', name: 'x' }, Math.floor(Date.now() / 1000) - 7200);
    await expect(verifyToken(settings, token)).rejects.toThrow(/exp/);
  });

  it('refuses another issuer or audience', async () => {
    const { token } = await issueToken(settings, { uid: 1, role: 'user', name: 'x' });
    await expect(verifyToken({ ...settings, issuer: 'other' }, token)).rejects.toThrow(/iss/);
    await expect(verifyToken({ ...settings, audience: 'other' }, token)).rejects.toThrow(/aud/);
  });

  it('refuses another algorithm even with the same key', async () => {
    const token = await signOwn({ uid: 1, role: 'user' }, 'HS512');
    await expect(verifyToken(settings, token)).rejects.toThrow(/alg/);
  });

  it('refuses a validly signed token without the claims the mall relies on', async () => {
    const token = await signOwn({ uid: 'one', role: 'root' }, 'HS256');
    await expect(verifyToken(settings, token)).rejects.toThrow();
  });

  it('reads the bearer scheme case-insensitively and nothing else', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('BEARER   a.b.c ')).toBe('a.b.c');
    expect(bearerToken('Basic a.b.c')).toBeUndefined();
    expect(bearerToken('a.b.c')).toBeUndefined();
    expect(bearerToken('Bearer a.b.c extra')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
