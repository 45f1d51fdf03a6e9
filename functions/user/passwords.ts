import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt with a random salt per user, at OWASP's current parameters (N=2^17, r=8, p=1). The
// parameters travel inside the stored hash, so older hashes still verify, and login rehashes
// them (needsRehash) once it knows the password. SCRYPT_COST lowers N where the
// accounts are only test and demo ones (the local cloud: infra/config.ts passwordScryptCost).
const COST = scryptCost(process.env.SCRYPT_COST);
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes (128 MiB here); Node refuses above maxmem, 32 MiB by default. */
const MAX_MEMORY = 256 * 1024 * 1024;

function scryptCost(setting: string | undefined): number {
  if (setting === undefined) return 2 ** 17;
  const n = Number(setting);
  // A power of two from 2^10 (1 MiB) to 2^20 (1 GiB): a typo must not make hashes trivial or unbounded.
  if (!Number.isInteger(n) || n < 2 ** 10 || n > 2 ** 20 || (n & (n - 1)) !== 0)
    throw new Error(`SCRYPT_COST must be a power of two from 1024 to 1048576, not "${setting}"`);
  return n;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: Math.max(MAX_MEMORY, 256 * n * r) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) throw new Error('unknown password hash format');
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash made with other (older) parameters than today's: login replaces it. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) !== COST || Number(r) !== BLOCK_SIZE || Number(p) !== PARALLELISM;
}

const DUMMY_SALT = Buffer.alloc(16);
/**
 * Spends the same time as a real check, for a login with an unknown mobile, so response
 * timing does not tell which mobiles are registered.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  await derive(password, DUMMY_SALT, COST, BLOCK_SIZE, PARALLELISM);
  return false;
}
