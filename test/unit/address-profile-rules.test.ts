import { describe, expect, it, vi } from 'vitest';
import type { AddressBook } from '../../functions/user/address-repository';
import { addAddressRequest, updateAddressRequest } from '../../functions/user/address-schemas';
import { listView, nextDefaultAfterRemoving } from '../../functions/user/address-service';
import { changePassword, updateProfile } from '../../functions/user/profile-service';
import { changePasswordRequest, updateProfileRequest } from '../../functions/user/schemas';
import { authorize } from '../../functions/user/session-service';
import { login, register } from '../../functions/user/user-service';
import type { Caller } from '../../shared/caller';
import { ann, appError, lockout, MemoryUserStore, tokens } from './memory-user-store';

const address = (id: number, createdAt: number) => ({
  id,
  name: 'Ann',
  phone: '13900000001',
  province: 'P',
  city: 'C',
  district: 'D',
  detail: 'x',
  createdAt,
  updatedAt: createdAt,
});

describe('address book rules', () => {
  const book: AddressBook = { defaultId: 2, addresses: [address(3, 3000), address(2, 2000), address(1, 1000)] };

  it('keeps the default when another address goes, and makes the newest remaining one default when the default goes', () => {
    expect(nextDefaultAfterRemoving(book, 3)).toBe(2);
    expect(nextDefaultAfterRemoving(book, 2)).toBe(3);
    expect(nextDefaultAfterRemoving({ defaultId: 3, addresses: [address(3, 3000), address(1, 1000)] }, 3)).toBe(1);
    expect(nextDefaultAfterRemoving({ defaultId: 1, addresses: [address(1, 1000)] }, 1)).toBeUndefined();
  });

  it('lists the default first, then the newest first, with exactly one is_default', () => {
    const listed = listView(book).addresses;
    expect(listed.map((a) => [a.id, a.is_default])).toEqual([
      [2, true],
      [3, false],
      [1, false],
    ]);
  });

  it('checks phones like mobiles, trims and bounds the lines, and refuses unknown fields', () => {
    const ok = { name: ' Ann ', phone: '+8613900000001', province: 'P', city: 'C', district: 'D', detail: 'x' };
    expect(addAddressRequest.parse(ok).name).toBe('Ann');
    for (const bad of [
      { ...ok, phone: '139-0000-0001' },
      { ...ok, phone: '12345' },
      { ...ok, city: '' },
      { ...ok, detail: 'x'.repeat(201) },
      { ...ok, uid: 7 },
    ]) {
      expect(addAddressRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(updateAddressRequest.safeParse({ id: 1 }).success).toBe(false);
    expect(updateAddressRequest.safeParse({ id: 1, city: 'Suzhou' }).success).toBe(true);
  });
});

describe('profile rules', () => {
  it('takes only https avatars (or "" to remove), and at least one field', () => {
    for (const avatar of ['https://img.example.com/a.png', '']) expect(updateProfileRequest.safeParse({ avatar }).success).toBe(true);
    for (const avatar of ['http://img.example.com/a.png', 'ftp://x/a', 'https://u:p@x.example/a', 'not a url', '//x.example/a']) {
      expect(updateProfileRequest.safeParse({ avatar }).success, avatar).toBe(false);
    }
    expect(updateProfileRequest.safeParse({}).success).toBe(false);
    expect(updateProfileRequest.safeParse({ nickname: 'x' }).success).toBe(false);
    expect(changePasswordRequest.safeParse({ old_password: 'x', new_password: 'short' }).success).toBe(false);
  });

  const deps = (users: MemoryUserStore, flush = vi.fn(async () => {})) => ({
    users,
    profiles: users,
    sessions: users,
    cache: { flush },
    throttle: { intervalMs: 5000 },
  });
  const callerOf = (uid: number): Caller => ({ uid, role: 'user', name: 'Ann', jti: 'j', exp: 0 });

  it('a password change refuses every earlier token, answers a new one, flushes cached decisions, and the old password stops working', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const before = (await login(users, tokens, lockout, ann)).accessToken;
    const flush = vi.fn(async () => {});
    const session = await changePassword(deps(users, flush), tokens, lockout, callerOf(1), {
      old_password: ann.password,
      new_password: 'another long one',
    });
    expect(await authorize(users, users, tokens, `Bearer ${before}`)).toBeUndefined();
    expect(await authorize(users, users, tokens, `Bearer ${session.accessToken}`)).toMatchObject({ uid: 1, sv: 1 });
    expect(flush).toHaveBeenCalledTimes(1);
    expect((await appError(login(users, tokens, lockout, ann))).code).toBe('INVALID_CREDENTIALS');
    const relogin = await login(users, tokens, lockout, { mobile: ann.mobile, password: 'another long one' });
    expect(await authorize(users, users, tokens, `Bearer ${relogin.accessToken}`)).toMatchObject({ sv: 1 });
  });

  it('a wrong old password is 400 WRONG_PASSWORD and counts towards the login backoff', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const wrong = await appError(
      changePassword(deps(users), tokens, lockout, callerOf(1), { old_password: 'nope', new_password: 'x'.repeat(8) }),
    );
    expect([wrong.status, wrong.code]).toEqual([400, 'WRONG_PASSWORD']);
    expect(users.credentials.get(ann.mobile)!.failedLogins).toBe(1);
  });

  it('a profile change hands the new name and avatar to the authorizer, and flushes cached decisions', async () => {
    const users = new MemoryUserStore();
    await register(users, ann);
    const token = (await login(users, tokens, lockout, ann)).accessToken;
    const flush = vi.fn(async () => {});
    const avatar = 'https://img.example.com/a.png';
    expect(await updateProfile(deps(users, flush), callerOf(1), { name: 'Annie', avatar })).toMatchObject({ name: 'Annie', avatar });
    expect(await authorize(users, users, tokens, `Bearer ${token}`)).toMatchObject({ name: 'Annie', avatar });
    expect(flush).toHaveBeenCalledTimes(1);
  });
});
