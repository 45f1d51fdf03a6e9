import { decodeJwt } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { apiUrl, asAdmin, bearer, post, registerAndLogin, uniqueMobile } from './client';

const listedAdminMobile = inject('listedAdminMobile');
const grant = (uid: number, auth: Record<string, string>) => post('/api/user/admin/grant', { uid }, auth);
const revoke = (uid: number, auth: Record<string, string>) => post('/api/user/admin/revoke', { uid }, auth);

describe('the admin role: stored, granted by the operator or an admin, never by registering', () => {
  it.skipIf(!listedAdminMobile)('gives no admin role to whoever registers a mobile the stage lists as an admin', async () => {
    const account = { name: 'Takeover', gender: 0, mobile: listedAdminMobile!, password: 'takeover-pass' };
    const registered = await post('/api/user/register', account);
    expect(registered.status).toBe(200);
    const login = await post('/api/user/login', { mobile: account.mobile, password: account.password });
    expect(login.status).toBe(200);
    expect(decodeJwt(login.body.accessToken).role).toBe('user');
    const attempt = await grant(registered.body.id, bearer(login.body.accessToken));
    expect([attempt.status, attempt.body.code]).toEqual([403, 'ADMIN_ONLY']);
  });

  it('lets an admin grant the role (effective at once, on the token the user already holds) and revoke it (refused at once)', async () => {
    const admin = await asAdmin();
    const user = await registerAndLogin('Promoted');
    const other = await registerAndLogin('Other');
    expect((await grant(other.id, bearer(user.token))).status).toBe(403);

    expect(await grant(user.id, admin)).toEqual({ status: 200, body: { uid: user.id, role: 'admin' } });
    expect((await grant(other.id, bearer(user.token))).status).toBe(200); // the same token, now an admin's
    expect((await revoke(other.id, bearer(user.token))).status).toBe(200);
    // A fresh login carries the stored role too.
    const relogin = await post('/api/user/login', { mobile: user.mobile, password: user.password });
    expect(decodeJwt(relogin.body.accessToken).role).toBe('admin');

    // The gateway has an Allow cached for both tokens; revoking still refuses them at once.
    expect(await revoke(user.id, admin)).toEqual({ status: 200, body: { uid: user.id, role: 'user' } });
    for (const token of [user.token, relogin.body.accessToken]) {
      const refused = await grant(other.id, bearer(token));
      expect([refused.status, refused.body.code]).toEqual([403, 'ADMIN_ONLY']);
      expect((await post('/api/user/userinfo', undefined, bearer(token))).status).toBe(200); // still a user
    }
  });

  it('refuses an admin revoking their own role, and an unknown user', async () => {
    const admin = await asAdmin();
    const me = await post('/api/user/userinfo', undefined, admin);
    const self = await revoke(me.body.id, admin);
    expect([self.status, self.body.code]).toEqual([409, 'CANNOT_REVOKE_SELF']);
    const unknown = await grant(987_654_321, admin);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'USER_NOT_FOUND']);
    const bad = await grant(-1, admin);
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_INPUT']);
  });
});

describe('password guessing', () => {
  it('refuses a 7-character password at registration, with a clear 400', async () => {
    const reply = await post('/api/user/register', { name: 'Short', gender: 1, mobile: uniqueMobile(), password: 'seven77' });
    expect([reply.status, reply.body.code]).toEqual([400, 'INVALID_INPUT']);
    expect(reply.body.message).toMatch(/password: must be at least 8 characters/);
    expect((await post('/api/user/register', { name: 'Ok', gender: 1, mobile: uniqueMobile(), password: 'eight888' })).status).toBe(200);
  });

  it('locks an account after 5 wrong passwords with 429 and Retry-After, refuses even the right one, and lets it in after the backoff', async () => {
    const user = await registerAndLogin('Guessed');
    const tryLogin = (password: string) => post('/api/user/login', { mobile: user.mobile, password });
    for (let i = 0; i < 4; i++) expect((await tryLogin(`wrong-${i}`)).status).toBe(401);
    const locked = await fetch(`${apiUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: user.mobile, password: 'wrong-5' }),
    });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { code: string }).code).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30); // the test stage's backoff is short (MALL_LOGIN_BACKOFF_SECONDS)

    const right = await tryLogin(user.password);
    expect([right.status, right.body.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    expect((await tryLogin(user.password)).status).toBe(200);
    expect((await tryLogin('wrong-again')).status).toBe(401); // the count started over
  });
});

describe('logout and the authorizer cache', () => {
  it('revokes at once for each user logging out, but flushes the stage cache at most once per interval', async () => {
    const [first, second] = await Promise.all([registerAndLogin('Out1'), registerAndLogin('Out2')]);
    for (const u of [first, second]) expect((await post('/api/user/userinfo', undefined, bearer(u.token))).status).toBe(200); // cached
    expect((await post('/api/user/logout', undefined, bearer(first.token))).status).toBe(200); // flushes
    const started = Date.now();
    expect((await post('/api/user/logout', undefined, bearer(second.token))).status).toBe(200);
    // The second logout came within the stage's flush interval (5 s) of the first flush: it
    // waited for the next window rather than flush again, and still answered after a flush.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    for (const u of [first, second]) expect((await post('/api/user/userinfo', undefined, bearer(u.token))).status).toBe(401);
  });
});
