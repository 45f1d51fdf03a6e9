/**
 * The one error model of the mall. Every rule that refuses a request throws an AppError; the
 * HTTP middleware turns it into `{ code, message }` with its status. Anything else is a bug or
 * an outage and becomes a 500 whose body says nothing about internals.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds a client should wait before retrying (the Retry-After header). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
/** With `retryAfterSeconds`, the conflict is expected to pass (sent as Retry-After). */
export const conflict = (code: string, message: string, retryAfterSeconds?: number) =>
  new AppError(409, code, message, undefined, retryAfterSeconds);

/**
 * A dependency is busy or too slow to answer in time (throttled, timed out): retry shortly.
 * With the same Idempotency-Key, a retried order create returns the order the first try made.
 */
export const serviceBusy = () => new AppError(503, 'SERVICE_BUSY', 'the service is busy, retry shortly', undefined, 1);

/** Too many attempts: the client may retry after `retryAfterSeconds` (sent as Retry-After). */
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError(429, code, message, undefined, retryAfterSeconds);
