import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { bearer, post, registerAndLogin, uniqueMobile } from './client';

const jwtSecret = inject('jwtSecret');

describe('register, login, userinfo, logout (go-zero-mall wire format)', () => {
  it('runs the whole flow', async () => {
    const mobile = uniqueMobile();
    const registered = await post('/api/user/register', { name: 'Ann', gender: 2, mobile, password: 's3cret-pass' });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ id: expect.any(Number), name: 'Ann', gender: 2, mobile });
    expect(Number.isSafeInteger(registered.body.id) && registered.body.id > 0).toBe(true);

    const login = await post('/api/user/login', { mobile, password: 's3cret-pass' });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body).sort()).toEqual(['accessExpire', 'accessToken']);
    const claims = decodeJwt(login.body.accessToken);
    expect(claims.uid).toBe(registered.body.id);
    expect(login.body.accessExpire).toBe(claims.exp);
    expect(login.body.accessExpire).toBeGreaterThan(Date.now() / 1000);

    const info = await post('/api/user/userinfo', undefined, bearer(login.body.accessToken));
    expect(info).toEqual({ status: 200, body: registered.body });

    const logout = await post('/api/user/logout', undefined, bearer(login.body.accessToken));
    expect(logout.status).toBe(200);
    const after = await post('/api/user/userinfo', undefined, bearer(login.body.accessToken));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHORIZED');
  });

  it('answers 409 for a mobile that is already registered, and keeps the first account', async () => {
    const first = await registerAndLogin('First');
    const again = await post('/api/user/register', { name: 'Second', gender: 1, mobile: first.mobile, password: 'another-pass' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'MOBILE_TAKEN', message: expect.stringMatching(/already registered/) });
    const info = await post('/api/user/userinfo', undefined, bearer(first.token));
    expect(info.body.name).toBe('First');
    const stolen = await post('/api/user/login', { mobile: first.mobile, password: 'another-pass' });
    expect(stolen.status).toBe(401);
  });

  it('lets exactly one of many concurrent registrations of one mobile win', async () => {
    const mobile = uniqueMobile();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post('/api/user/register', { name: `Racer ${i}`, gender: 0, mobile, password: `password-${i}` })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('gives concurrent registrations distinct ids', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        post('/api/user/register', { name: 'Many', gender: 1, mobile: uniqueMobile(), password: 'password-1' }),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(12);
  });

  it('refuses a wrong password and an unknown mobile with the same answer', async () => {
    const user = await registerAndLogin();
    const wrong = await post('/api/user/login', { mobile: user.mobile, password: 'not the password' });
    const unknown = await post('/api/user/login', { mobile: uniqueMobile(), password: 'whatever-pass' });
    expect(wrong).toEqual({ status: 401, body: { code: 'INVALID_CREDENTIALS', message: 'mobile or password is wrong' } });
    expect(unknown).toEqual(wrong);
  });

  it('shows each caller only their own profile', async () => {
    const [a, b] = await Promise.all([registerAndLogin('Alice'), registerAndLogin('Bob')]);
    const infoA = await post('/api/user/userinfo', { id: b.id }, bearer(a.token));
    const infoB = await post('/api/user/userinfo', undefined, bearer(b.token));
    expect(infoA.body).toMatchObject({ id: a.id, name: 'Alice' });
    expect(infoB.body).toMatchObject({ id: b.id, name: 'Bob' });
  });

  it('never returns the password or its hash', async () => {
    const mobile = uniqueMobile();
    const registered = await post('/api/user/register', { name: 'Pat', gender: 1, mobile, password: 'top-secret-1' });
    expect(JSON.stringify(registered.body)).not.toMatch(/password|scrypt|top-secret/i);
  });
});

describe('bad input gets a 400 with a stable code, never a 5xx', () => {
  const valid = { name: 'Val', gender: 1, mobile: '13900000000', password: 'password-1' };
  const cases: Array<[string, string | object | undefined, string]> = [
    ['malformed JSON', '{"name": "x",', 'MALFORMED_JSON'],
    ['not an object', '[1,2,3]', 'INVALID_INPUT'],
    ['a JSON string', '"hello"', 'INVALID_INPUT'],
    ['null', 'null', 'INVALID_INPUT'],
    ['no body', undefined, 'INVALID_INPUT'],
    ['missing fields', { name: 'x' }, 'INVALID_INPUT'],
    ['gender as a string', { ...valid, gender: '1' }, 'INVALID_INPUT'],
    ['gender out of range', { ...valid, gender: 7 }, 'INVALID_INPUT'],
    ['fractional gender', { ...valid, gender: 1.5 }, 'INVALID_INPUT'],
    ['mobile as a number', { ...valid, mobile: 13900000000 }, 'INVALID_INPUT'],
    ['mobile with letters', { ...valid, mobile: '139abc00000' }, 'INVALID_INPUT'],
    ['empty name', { ...valid, name: '   ' }, 'INVALID_INPUT'],
    ['huge name', { ...valid, name: 'x'.repeat(100_000) }, 'INVALID_INPUT'],
    ['huge password', { ...valid, password: 'p'.repeat(1_000_000) }, 'INVALID_INPUT'],
    ['short password', { ...valid, password: '123' }, 'INVALID_INPUT'],
    ['password as an object', { ...valid, password: { $ne: '' } }, 'INVALID_INPUT'],
  ];
  for (const [label, body, code] of cases) {
    it(`register: ${label}`, async () => {
      const reply = await post('/api/user/register', body);
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe(code);
      expect(typeof reply.body.message).toBe('string');
    });
  }

  it('login: wrong types and huge strings', async () => {
    for (const body of [{ mobile: 1, password: 2 }, { mobile: 'x'.repeat(50_000), password: 'y' }, '{oops', { mobile: '13900000000' }]) {
      const reply = await post('/api/user/login', body);
      expect(reply.status).toBe(400);
      expect(['INVALID_INPUT', 'MALFORMED_JSON']).toContain(reply.body.code);
    }
  });

  it("a body over API Gateway's 10 MB limit gets 413", async () => {
    const reply = await post('/api/user/register', { ...valid, name: 'x'.repeat(11 * 1024 * 1024) });
    expect(reply.status).toBe(413);
  });

  it('an unknown route gets 404', async () => {
    const reply = await post('/api/user/nope', {});
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('the authorizer', () => {
  it('accepts the bearer scheme word in any case', async () => {
    const user = await registerAndLogin();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const reply = await post('/api/user/userinfo', undefined, { authorization: `${scheme} ${user.token}` });
      expect(reply.status, scheme).toBe(200);
    }
  });

  it('answers 401 for a missing, empty, malformed or non-bearer header', async () => {
    const user = await registerAndLogin();
    for (const headers of [
      {} as Record<string, string>,
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer not.a.jwt' },
      { authorization: `Basic ${user.token}` },
      { authorization: user.token },
    ]) {
      const reply = await post('/api/user/userinfo', undefined, headers);
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect(reply.body.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers 401 for a tampered token', async () => {
    const user = await registerAndLogin();
    const victim = await registerAndLogin('Victim');
    const [header, , signature] = user.token.split('.');
    const payload = { ...decodeJwt(user.token), uid: victim.id };
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    expect((await post('/api/user/userinfo', undefined, bearer(tampered))).status).toBe(401);
  });

  it('answers 401 for an "alg: none" token', async () => {
    const user = await registerAndLogin();
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = user.token.split('.')[1];
    for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(401);
    }
  });

  it('answers 401 after logout, also for a token the gateway had cached', async () => {
    const user = await registerAndLogin();
    const other = await post('/api/user/login', { mobile: user.mobile, password: user.password });
    expect((await post('/api/user/userinfo', undefined, bearer(user.token))).status).toBe(200); // now cached
    expect((await post('/api/user/logout', undefined, bearer(user.token))).status).toBe(200);
    expect((await post('/api/user/userinfo', undefined, bearer(user.token))).status).toBe(401);
    expect((await post('/api/user/logout', undefined, bearer(user.token))).status).toBe(401);
    // Logout ends that session only; the same user's other token still works.
    expect((await post('/api/user/userinfo', undefined, bearer(other.body.accessToken))).status).toBe(200);
  });

  describe.skipIf(!jwtSecret)('tokens forged with and without the signing key (needs the key: MALL_JWT_SECRET)', () => {
    /** Signs the claims of a real token, changed by `change`, with `key`. */
    async function forge(token: string, key: string, change: Record<string, unknown> = {}): Promise<string> {
      const claims = { ...decodeJwt(token), ...change };
      return new SignJWT(claims).setProtectedHeader(decodeProtectedHeader(token) as { alg: string }).sign(new TextEncoder().encode(key));
    }

    it('accepts a token re-signed with the real key (so the refusals below are for the stated reason)', async () => {
      const user = await registerAndLogin();
      const token = await forge(user.token, jwtSecret!, { jti: `forged-${Date.now()}` });
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(200);
    });

    it('answers 401 for an expired token', async () => {
      const user = await registerAndLogin();
      const now = Math.floor(Date.now() / 1000);
      const token = await forge(user.token, jwtSecret!, { iat: now - 7200, exp: now - 3600 });
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(401);
    });

    it('answers 401 for a token signed with another key', async () => {
      const user = await registerAndLogin();
      const token = await forge(user.token, 'an-entirely-different-key-of-decent-length-0123456789');
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(401);
    });

    it('answers 401 for a wrong issuer or audience', async () => {
      const user = await registerAndLogin();
      for (const change of [{ iss: 'someone-else' }, { aud: 'another-api' }]) {
        const token = await forge(user.token, jwtSecret!, change);
        expect((await post('/api/user/userinfo', undefined, bearer(token))).status, JSON.stringify(change)).toBe(401);
      }
    });

    it('answers 401 for a token with another algorithm, even with the right key', async () => {
      const user = await registerAndLogin();
      const claims = decodeJwt(user.token);
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(jwtSecret!));
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(401);
    });
  });
});
