import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../../shared/errors';

/**
 * The payment provider's notification signature, both sides of it (Stripe's scheme, with the
 * mall's header names): `X-Mall-Timestamp: <unix seconds>` and
 * `X-Mall-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. The time is signed so
 * that a captured notification cannot be sent again later than the window allows.
 */
export const TIMESTAMP_HEADER = 'x-mall-timestamp';
export const SIGNATURE_HEADER = 'x-mall-signature';
/** How far the signed time may be from the receiver's clock, either way (Stripe's default tolerance). */
export const NOTIFY_TOLERANCE_SECONDS = 300;

/**
 * The keys a notification may be signed with: during a rotation the provider may still sign with
 * `previous` until it has switched to `current`.
 */
export interface NotifyKeys {
  current: string;
  previous?: string;
}

/**
 * The provider key secret's value: `{"current": "<key>", "previous": "<key>"}` while a rotation
 * is under way, or the key alone (as Secrets Manager generates it at deploy).
 */
export function notifyKeysOf(secret: string): NotifyKeys {
  if (!secret.trimStart().startsWith('{')) return { current: secret };
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    // The message never carries the value: it is a key.
    throw new Error('the payment provider key secret starts with "{" but is not JSON');
  }
  const { current, previous } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof current !== 'string' || current === '' || (previous !== undefined && (typeof previous !== 'string' || previous === '')))
    throw new Error('the payment provider key secret must be {"current": "<key>"} with an optional "previous": "<key>"');
  return previous === undefined ? { current } : { current, previous };
}

const mac = (key: string, timestamp: string, rawBody: string) => createHmac('sha256', key).update(`${timestamp}.${rawBody}`).digest();

/** The headers that sign `rawBody` with `key` at `timestamp` (Unix seconds): what the provider sends. */
export function signNotification(rawBody: string, key: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signedAt = String(timestamp);
  return { [TIMESTAMP_HEADER]: signedAt, [SIGNATURE_HEADER]: `sha256=${mac(key, signedAt, rawBody).toString('hex')}` };
}

/**
 * Throws 401 BAD_SIGNATURE unless `rawBody` is signed, with its timestamp, by one of `keys`;
 * 401 STALE_NOTIFICATION if it is, but at a time more than the tolerance away from `now` (ms).
 * `headers` by lower-cased name.
 */
export function verifyNotification(headers: Record<string, string | undefined>, rawBody: string, keys: NotifyKeys, now = Date.now()): void {
  const timestamp = headers[TIMESTAMP_HEADER] ?? '';
  const sent = Buffer.from((headers[SIGNATURE_HEADER] ?? '').replace(/^sha256=/, ''), 'hex');
  const signed =
    /^\d{1,12}$/.test(timestamp) &&
    [keys.current, keys.previous]
      .filter((key): key is string => key !== undefined)
      .map((key) => mac(key, timestamp, rawBody))
      // Every key is tried, in constant time each.
      .reduce((found, expected) => (sent.length === expected.length && timingSafeEqual(sent, expected)) || found, false);
  if (!signed) throw unauthorized('BAD_SIGNATURE', 'the notification is not signed with the provider key');
  if (Math.abs(now / 1000 - Number(timestamp)) > NOTIFY_TOLERANCE_SECONDS)
    throw unauthorized('STALE_NOTIFICATION', `the notification was signed more than ${NOTIFY_TOLERANCE_SECONDS} s from now`);
}
