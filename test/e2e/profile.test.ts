import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, post, registerAndLogin } from './client';
import { createProduct, signIn } from './order-helpers';

// Profiles (name, gender, avatar) and password changes over real HTTP.

beforeAll(signIn);

const AVATAR = 'https://img.example.com/avatars/ann.png';

describe('profile', () => {
  it('changes name, gender and avatar; userinfo answers them; only the fields given change', async () => {
    const user = await registerAndLogin('Ann');
    const me = bearer(user.token);
    // No avatar yet: userinfo keeps go-zero-mall's shape.
    expect((await post('/api/user/userinfo', {}, me)).body).toEqual({ id: user.id, name: 'Ann', gender: 1, mobile: user.mobile });

    const changed = await post('/api/user/profile/update', { name: ' Annie ', avatar: AVATAR }, me);
    const profile = { id: user.id, name: 'Annie', gender: 1, mobile: user.mobile, avatar: AVATAR };
    expect(changed).toEqual({ status: 200, body: profile });
    expect(await post('/api/user/userinfo', {}, me)).toEqual({ status: 200, body: profile });
    expect((await post('/api/user/profile/update', { gender: 2 }, me)).body).toEqual({ ...profile, gender: 2 });
    expect((await post('/api/user/userinfo', {}, me)).body).toEqual({ ...profile, gender: 2 });
    // "" removes the avatar.
    expect((await post('/api/user/profile/update', { avatar: '' }, me)).body).not.toHaveProperty('avatar');
    expect((await post('/api/user/userinfo', {}, me)).body).toEqual({ id: user.id, name: 'Annie', gender: 2, mobile: user.mobile });
    // The new name is what login signs from now on, and userinfo still answers it.
    const again = await post('/api/user/login', { mobile: user.mobile, password: user.password });
    expect((await post('/api/user/userinfo', {}, bearer(again.body.accessToken))).body.name).toBe('Annie');
  });

  it('refuses an http or malformed avatar, unknown fields, a bad gender and an empty change', async () => {
    const user = await registerAndLogin('Ann');
    const me = bearer(user.token);
    for (const [body, field] of [
      [{ avatar: 'http://img.example.com/a.png' }, 'avatar'],
      [{ avatar: 'javascript:alert(1)' }, 'avatar'],
      [{ avatar: 'https://user:pw@img.example.com/a.png' }, 'avatar'],
      [{ avatar: `https://img.example.com/${'a'.repeat(500)}` }, 'avatar'],
      [{ gender: 3 }, 'gender'],
      [{ name: '' }, 'name'],
      [{ mobile: '13900000000' }, 'mobile'],
      [{}, 'at least one'],
    ] as const) {
      const reply = await post('/api/user/profile/update', body, me);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.code).toBe('INVALID_INPUT');
      expect(reply.body.message).toContain(field);
    }
    expect((await post('/api/user/userinfo', {}, me)).body).toEqual({ id: user.id, name: 'Ann', gender: 1, mobile: user.mobile });
  });

  it("shows the author's current name and avatar on a comment written after the change (a copy at write time)", async () => {
    const user = await registerAndLogin('Cleo');
    const me = bearer(user.token);
    const product = await createProduct({ name: 'Lamp' });
    // Written before: no avatar. The token's decision is now in the authorizer cache.
    const before = await post('/api/product/comment/add', { product_id: product, content: 'first' }, me);
    expect(before.body.user).toEqual({ id: user.id, name: 'Cleo', avatar: '' });

    await post('/api/user/profile/update', { name: 'Cleo B', avatar: AVATAR }, me);
    const after = await post('/api/product/comment/add', { product_id: product, content: 'second' }, me);
    expect(after.body.user).toEqual({ id: user.id, name: 'Cleo B', avatar: AVATAR });
    const comments = (await get('/api/product/comment/list', { product_id: product })).body.comments;
    expect(comments.map((c: any) => c.user)).toEqual([
      { id: user.id, name: 'Cleo B', avatar: AVATAR },
      { id: user.id, name: 'Cleo', avatar: '' },
    ]);
  });
});

describe('password change', () => {
  it('needs the current password, refuses every earlier token, and the old password no longer logs in', async () => {
    const user = await registerAndLogin('Dora');
    const first = bearer(user.token);
    const second = bearer((await post('/api/user/login', { mobile: user.mobile, password: user.password })).body.accessToken);
    // Both tokens work, so both decisions are in the authorizer cache.
    for (const token of [first, second]) expect((await post('/api/user/userinfo', {}, token)).status).toBe(200);

    const wrong = await post('/api/user/password/change', { old_password: 'not it at all', new_password: 'a brand new secret' }, first);
    expect(wrong).toEqual({ status: 400, body: { code: 'WRONG_PASSWORD', message: 'old_password is not the current password' } });
    const short = await post('/api/user/password/change', { old_password: user.password, new_password: 'short' }, first);
    expect(short).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
    const missing = await post('/api/user/password/change', { new_password: 'a brand new secret' }, first);
    expect(missing).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
    // Nothing changed yet.
    expect((await post('/api/user/userinfo', {}, second)).status).toBe(200);

    const changed = await post('/api/user/password/change', { old_password: user.password, new_password: 'a brand new secret' }, first);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(Object.keys(changed.body).sort()).toEqual(['accessExpire', 'accessToken']);

    // Every token issued before is refused, the one that made the change too; the new one works.
    const refused = { status: 401, body: { code: 'UNAUTHORIZED', message: 'missing, invalid, expired or revoked token' } };
    expect(await post('/api/user/userinfo', {}, second)).toEqual(refused);
    expect(await post('/api/user/userinfo', {}, first)).toEqual(refused);
    expect((await post('/api/user/userinfo', {}, bearer(changed.body.accessToken))).body.id).toBe(user.id);

    // The old password no longer logs in; the new one does, and its token works.
    expect(await post('/api/user/login', { mobile: user.mobile, password: user.password })).toMatchObject({
      status: 401,
      body: { code: 'INVALID_CREDENTIALS' },
    });
    const login = await post('/api/user/login', { mobile: user.mobile, password: 'a brand new secret' });
    expect(login.status).toBe(200);
    expect((await post('/api/user/userinfo', {}, bearer(login.body.accessToken))).status).toBe(200);
  });
});
