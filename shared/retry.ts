/** What an attempt returns to ask for another try. */
export const RETRY = Symbol('retry');

export interface RetryPolicy {
  /** Tries at most, the first included. */
  attempts: number;
  /** The first wait's upper bound; it doubles each time, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs?: number;
  /** Gives up once this much time has passed (a wait is cut short to end by then, and one last try made). */
  withinMs?: number;
  /** The error thrown when every attempt asked for another. */
  exhausted: () => Error;
}

/**
 * Runs `attempt` until it returns something other than RETRY, waiting between tries with
 * exponential backoff and full jitter (a random wait up to the bound, so racing writers spread
 * out). Bounded: after `attempts` tries it throws `exhausted()`. What an attempt throws is not
 * retried here; an attempt that wants a thrown error retried catches it and returns RETRY.
 */
export async function retry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T | typeof RETRY>): Promise<T> {
  const deadline = Date.now() + (policy.withinMs ?? Infinity);
  for (let n = 1; n <= policy.attempts; n++) {
    const result = await attempt(n);
    if (result !== RETRY) return result;
    if (n < policy.attempts) {
      const bound = Math.min(policy.maxDelayMs ?? 1000, policy.baseDelayMs * 2 ** (n - 1));
      const wait = Math.min(Math.random() * bound, deadline - Date.now());
      if (wait <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  throw policy.exhausted();
}

/**
 * Reads with short, jittered, doubling pauses (up to 50, 100, 200, then 400 ms) while `pending`
 * holds, for at most `withinMs` (one last read at the end); returns the last value read. `last`,
 * a value the caller has just read, saves the first read.
 */
export async function pollWhile<T>(read: () => Promise<T>, pending: (value: T) => boolean, withinMs: number, last?: T): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = last !== undefined ? last : await read();
  for (let bound = 50; pending(value) && Date.now() < deadline; bound = Math.min(bound * 2, 400)) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.random() * bound, deadline - Date.now())));
    value = await read();
  }
  return value;
}
