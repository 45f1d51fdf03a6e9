import { describe, expect, it, vi } from 'vitest';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../functions/user/passwords';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a per-user random salt', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
  });

  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats Unicode-equivalent spellings as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-password');
    expect(await verifyPassword('cafe\u0301-password', stored)).toBe(true);
  });

  it('rejects a stored value it does not understand rather than accepting it', async () => {
    await expect(verifyPassword('x', 'md5$abc')).rejects.toThrow(/unknown password hash/);
  });

  it('burns a check for unknown users and never succeeds', async () => {
    expect(await burnPasswordCheck('anything')).toBe(false);
  });
});

describe('SCRYPT_COST', () => {
  async function withCost<T>(cost: string, use: (passwords: typeof import('../../functions/user/passwords')) => Promise<T>): Promise<T> {
    vi.resetModules();
    process.env.SCRYPT_COST = cost;
    try {
      return await use(await import('../../functions/user/passwords'));
    } finally {
      delete process.env.SCRYPT_COST;
      vi.resetModules();
    }
  }

  it('makes new hashes at that cost; they verify, and a production hash is rehashed to it', async () => {
    const production = await hashPassword('p@ss');
    await withCost('4096', async (cheap) => {
      const hash = await cheap.hashPassword('p@ss');
      expect(hash).toMatch(/^scrypt\$4096\$8\$1\$/);
      expect(await cheap.verifyPassword('p@ss', hash)).toBe(true);
      expect(await cheap.verifyPassword('p@ss', production)).toBe(true);
      expect(cheap.needsRehash(production)).toBe(true);
    });
  });

  it.each(['abc', '1000', '512', String(2 ** 21)])('refuses %s', async (cost) => {
    await expect(withCost(cost, async () => undefined)).rejects.toThrow(/SCRYPT_COST/);
  });
});
