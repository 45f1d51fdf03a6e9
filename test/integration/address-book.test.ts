import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressRepository } from '../../functions/user/address-repository';
import { addAddress, listAddresses, removeAddress, setDefaultAddress } from '../../functions/user/address-service';
import { DynamoProfileStore } from '../../functions/user/profile-repository';
import { DynamoUserStore } from '../../functions/user/user-repository';
import { AppError } from '../../shared/errors';
import { localTable } from './local-table';

// The address book's and the profile's conditional writes against a real DynamoDB engine (the user table: pk only).
const TABLE = 'Users';
let local: Awaited<ReturnType<typeof localTable>>;
let db: DynamoDBDocumentClient;
let repo: AddressRepository;

beforeAll(async () => {
  local = await localTable(TABLE, { pkOnly: true });
  db = local.db;
  repo = new AddressRepository(db, TABLE);
}, 90_000);

afterAll(() => local?.stop());

const fields = { name: 'Ann', phone: '13900000001', province: 'P', city: 'C', district: 'D', detail: 'x' };
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e) => (e instanceof AppError ? e.code : String(e)),
  );

describe('address book writes', () => {
  it('lets 30 concurrent adds to a new book make exactly 20, with one default', async () => {
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => codeOf(addAddress(repo, 1, fields))));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'ADDRESS_BOOK_FULL')).toHaveLength(10);
    const { addresses } = await listAddresses(repo, 1);
    expect(addresses).toHaveLength(20);
    expect(addresses.filter((a) => a.is_default)).toHaveLength(1);
  });

  it('keeps one default when the default and the next default are removed together', async () => {
    const a = await addAddress(repo, 2, fields);
    const b = await addAddress(repo, 2, fields, Date.now() + 1);
    const c = await addAddress(repo, 2, fields, Date.now() + 2);
    await Promise.all([removeAddress(repo, 2, a.id), removeAddress(repo, 2, c.id)]);
    expect((await listAddresses(repo, 2)).addresses.map((x) => [x.id, x.is_default])).toEqual([[b.id, true]]);
    expect(await codeOf(setDefaultAddress(repo, 2, a.id))).toBe('ADDRESS_NOT_FOUND');
    expect(await codeOf(setDefaultAddress(repo, 3, b.id))).toBe('ADDRESS_NOT_FOUND'); // another user's book
  });
});

describe('profile writes', () => {
  it('changes the password only from the hash that was checked, raising the session version on both items', async () => {
    const users = new DynamoUserStore(db, TABLE);
    const profiles = new DynamoProfileStore(db, TABLE);
    await users.create({ id: 7, name: 'Ann', gender: 1, mobile: '13800000007' }, 'old-hash');
    expect(await profiles.changePassword(7, '13800000007', 'stale-hash', 'new-hash', 1)).toBe('refused');
    expect(await profiles.changePassword(7, '13800000007', 'old-hash', 'new-hash', 1)).toBe('done');
    expect(await profiles.findSession(7)).toMatchObject({ role: 'user', sessionVersion: 1 });
    expect(await users.findCredential('13800000007')).toMatchObject({ passwordHash: 'new-hash', sessionVersion: 1 });
    expect(await profiles.updateProfile(7, '13800000007', { name: 'Annie', avatar: 'https://x.example/a.png' })).toBe('done');
    expect(await profiles.findSession(7)).toMatchObject({ name: 'Annie', avatar: 'https://x.example/a.png' });
    expect((await users.findCredential('13800000007'))?.name).toBe('Annie');
    expect(await profiles.updateProfile(8, '13800000008', { gender: 2 })).toBe('refused');
  });
});
