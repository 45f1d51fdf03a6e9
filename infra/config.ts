/**
 * Stage configuration, in one typed place. Pick a stage with MALL_STAGE (default "dev").
 * Values that differ per person or deployment come from the environment at synth time.
 */
export interface StageConfig {
  /** Also the API Gateway stage name and part of the stack name. */
  stage: string;
  /** Lifetime of an access token (go-zero-mall's AccessExpire). */
  accessTokenTtlSeconds: number;
  /** How long API Gateway caches an authorizer decision per token; logout and role changes flush it. */
  authorizerCacheTtlSeconds: number;
  /** Logout flushes the stage's authorizer cache at most once per this many seconds, whoever logs out. */
  authorizerFlushIntervalSeconds: number;
  /**
   * Per-account login backoff: after `lockAfterFailures` wrong passwords in a row, refused for
   * `backoffBaseSeconds` (MALL_LOGIN_BACKOFF_SECONDS), doubling per further failure, capped.
   */
  loginLockout: { lockAfterFailures: number; backoffBaseSeconds: number; backoffMaxSeconds: number };
  /**
   * scrypt's cost N for new password hashes. Every AWS stage uses OWASP's 2^17 (128 MiB); the
   * local cloud, whose users are test and demo accounts, 2^12, as Django's test settings use a
   * fast hasher. N is stored in each hash, so a hash verifies whatever N makes new ones, and login
   * rehashes one made at another N.
   */
  passwordScryptCost: number;
  /**
   * A WAF rate-based rule on the API stage: requests per 5 minutes per client IP, or undefined
   * for none (MALL_WAF_RATE_LIMIT: a number, or "off"). The local cloud has no WAF.
   */
  wafRateLimit: number | undefined;
  /** Keep tables and secrets when the stack is deleted. */
  retainData: boolean;
  logRetentionDays: 7 | 30 | 90 | 365;
  /** API-wide throttling, requests per second and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * The order saga's workflow type (MALL_SAGA_WORKFLOW, EXPRESS by default). Express costs about a
   * fifth (npm run bench:saga); Standard keeps a history that can be described (the stuck-orders
   * route's last_error comes from it) and runs up to a year instead of 5 minutes.
   */
  sagaWorkflow: 'STANDARD' | 'EXPRESS';
  /**
   * Which of the saga's execution events go to its log group (MALL_SAGA_LOG_LEVEL, ERROR by
   * default): ERROR logs every failure (failed, timed-out or aborted tasks and runs) and none of a
   * run that succeeds, which X-Ray and the steps' own log lines already show. ALL logs every event,
   * about 17 lines per run: most of a purchase's log bytes (npm run bench:saga prints both).
   */
  sagaLogLevel: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  /**
   * An order still pending (or cancelling) this long after it was created, and whose saga is not
   * running, is driven to cancelled. For Express it must exceed Express's 5-minute limit.
   */
  openOrderBoundSeconds: number;
  /** How often the sweeper looks for such orders, and for unpaid ones. */
  sweepEveryMinutes: number;
  /**
   * The sweeper's pace: orders handled at once per index shard (8 shards side by side), and the
   * run's Lambda timeout; a run stops 5 s before it and the next run goes on.
   */
  sweep: { concurrency: number; timeoutSeconds: number };
  /**
   * pay/create on an order whose saga is still running waits for it this long at most, then
   * answers 409 ORDER_PENDING with Retry-After (MALL_PAY_ORDER_WAIT_MS; 0 answers at once; at
   * most 5000, well under the function's 10 s timeout and API Gateway's 29 s).
   */
  payOrderWaitMs: number;
  /**
   * order/create waits this long at most for the saga's outcome, so that a client learns it
   * (awaiting payment, or cancelled with the reason) without polling; a slower saga is answered
   * `pending` (MALL_ORDER_CREATE_WAIT_MS; 0 answers at once; at most 5000).
   */
  orderCreateWaitMs: number;
  /** An order not paid this long after it awaits payment is closed (MALL_PAYMENT_TIMEOUT_MINUTES). */
  paymentTimeoutMinutes: number;
  /**
   * go-zero-mall's user-token payment callback (sandbox): any logged-in user can mark their own
   * order paid. Off unless MALL_PAY_SANDBOX=1, whatever the stage is called; the local cloud
   * sets it (MALL_PAY_SANDBOX=0 turns it off there). Synth warns when it is on.
   */
  paymentSandbox: boolean;
  /**
   * The payment outbox relay: how often it republishes PaymentSucceeded events that never
   * reached the bus, and how old (since the payment) such an event must be before it does.
   */
  outboxRelay: { everyMinutes: number; graceSeconds: number };
  /**
   * Refunds the relay fails to finish: the n-th failure waits `baseDelaySeconds` * 2^(n-1) (at
   * most `maxDelaySeconds`) before the next try, and after `maxAttempts` the refund is flagged for
   * an operator (alarm RefundFlagged; GET /api/pay/refunds/flagged) and no longer tried until
   * re-queued. An alarm also fires when the oldest unfinished refund, flagged or not, is older
   * than `alarmAgeSeconds`: money owed too long.
   */
  refundRetry: { maxAttempts: number; baseDelaySeconds: number; maxDelaySeconds: number; alarmAgeSeconds: number };
  /**
   * What one account may hold (the order API refuses more): unpaid orders at once, units of one
   * product and lines and units per order; and the shorter payment window of a flash sale's
   * orders (at most paymentTimeoutMinutes).
   */
  orderLimits: { maxOpenPerUser: number; maxUnitsPerProduct: number; maxLines: number; maxUnits: number; flashSalePaymentMinutes: number };
  /** How long the event bus archive keeps events for replay. */
  eventArchiveDays: number;
  /** Who gets the alarms by email (MALL_ALARM_EMAILS, comma-separated); each must confirm the subscription. */
  alarmEmails: string[];
  /**
   * Synth refuses the stage without an alarm email: alarms that reach nobody are found out only
   * at the outage they were for. Other stages warn and go on.
   */
  alarmEmailsRequired: boolean;
  /**
   * A saga compensation still failing after this many minutes raises an alarm, and GET
   * /api/order/stuck lists its order (MALL_COMPENSATION_ALARM_MINUTES, a multiple of 5). It keeps
   * being retried regardless.
   */
  compensationAlarmMinutes: number;
  /**
   * Web origins (scheme://host[:port]) whose pages may call the API (CORS): API Gateway answers
   * their preflights and every answer, errors included, allows them. Empty: no CORS at all.
   * MALL_CORS_ORIGINS (comma-separated, or "none") replaces the stage's list; the local cloud
   * adds its Swagger UI's origin. `corsMaxAgeSeconds`: how long a browser keeps a preflight.
   */
  corsOrigins: string[];
  corsMaxAgeSeconds: number;
  /**
   * The anonymous storefront reads (routes with `publicRead`): how long browsers and shared
   * caches may keep an answer (Cache-Control max-age, MALL_PUBLIC_MAX_AGE_SECONDS), and the
   * stage's per-method throttle for each of them, requests per second and burst.
   */
  publicReads: { maxAgeSeconds: number; rateLimit: number; burstLimit: number };
  /**
   * After shipping (issue 12): a shipped order is received automatically this many days after
   * shipping (MALL_AUTO_RECEIVE_DAYS), and a received one completed this many days after receipt,
   * the return window (MALL_RETURN_WINDOW_DAYS). The sweeper applies both.
   */
  fulfilment: { autoReceiveDays: number; returnWindowDays: number };
}

/**
 * The provider refunds go to (PAY_PROVIDER on every function that refunds, or refuses what
 * would need a refund): the sandbox in sandbox mode, none elsewhere until a real provider's
 * adapter exists. With none, a refund could only wait: the order service refuses to cancel a
 * paid order or approve a refund (409 REFUNDS_UNAVAILABLE).
 */
export type RefundProvider = 'sandbox' | 'none';
export const refundProviderOf = (config: Pick<StageConfig, 'paymentSandbox'>): RefundProvider =>
  config.paymentSandbox ? 'sandbox' : 'none';

/** A stage setting that cannot be synthesized: `cdk synth` prints its message alone, without a stack trace. */
export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/** pay/create's wait stays well under its function's 10 s timeout (and API Gateway's 29 s). */
const MAX_WAIT_MS = 5000;

const base: Omit<StageConfig, 'stage'> = {
  accessTokenTtlSeconds: 86_400,
  authorizerCacheTtlSeconds: 300,
  authorizerFlushIntervalSeconds: 5,
  loginLockout: { lockAfterFailures: 5, backoffBaseSeconds: 30, backoffMaxSeconds: 900 },
  passwordScryptCost: 2 ** 17,
  wafRateLimit: undefined,
  retainData: false,
  logRetentionDays: 30,
  throttle: { rateLimit: 500, burstLimit: 1000 },
  sagaWorkflow: 'EXPRESS',
  sagaLogLevel: 'ERROR',
  openOrderBoundSeconds: 600,
  sweepEveryMinutes: 1,
  sweep: { concurrency: 4, timeoutSeconds: 60 },
  paymentTimeoutMinutes: 30,
  payOrderWaitMs: 2000,
  orderCreateWaitMs: 2000,
  paymentSandbox: false,
  outboxRelay: { everyMinutes: 1, graceSeconds: 60 },
  // 1+2+4+...+64 minutes: about two hours of tries before an operator is asked.
  refundRetry: { maxAttempts: 8, baseDelaySeconds: 60, maxDelaySeconds: 3600, alarmAgeSeconds: 3600 },
  orderLimits: { maxOpenPerUser: 10, maxUnitsPerProduct: 99, maxLines: 20, maxUnits: 200, flashSalePaymentMinutes: 5 },
  eventArchiveDays: 30,
  alarmEmails: [],
  alarmEmailsRequired: false,
  compensationAlarmMinutes: 15,
  corsOrigins: [],
  corsMaxAgeSeconds: 600,
  publicReads: { maxAgeSeconds: 30, rateLimit: 100, burstLimit: 200 },
  fulfilment: { autoReceiveDays: 10, returnWindowDays: 7 },
};

const stages: Record<string, Omit<StageConfig, 'stage'>> = {
  local: { ...base, passwordScryptCost: 2 ** 12 },
  localstack: base,
  // A web front end's dev server (Vite's default port) may call a dev stage.
  dev: { ...base, corsOrigins: ['http://localhost:5173'] },
  prod: { ...base, retainData: true, logRetentionDays: 365, wafRateLimit: 2000, alarmEmailsRequired: true },
};

export function stageConfig(stage = process.env.MALL_STAGE ?? 'dev', env = process.env): StageConfig {
  const settings = stages[stage];
  if (!settings) throw new Error(`unknown stage "${stage}"; known: ${Object.keys(stages).join(', ')}`);
  const alarmEmails = env.MALL_ALARM_EMAILS === undefined ? settings.alarmEmails : list(env.MALL_ALARM_EMAILS);
  const badEmail = alarmEmails.find((email) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email));
  if (badEmail) throw new Error(`MALL_ALARM_EMAILS: "${badEmail}" is not an email address`);
  const workflow = env.MALL_SAGA_WORKFLOW || settings.sagaWorkflow;
  if (workflow !== 'EXPRESS' && workflow !== 'STANDARD')
    throw new Error(`MALL_SAGA_WORKFLOW must be EXPRESS or STANDARD, got "${workflow}"`);
  const sagaWorkflow: StageConfig['sagaWorkflow'] = workflow;
  const sagaLogLevel = (env.MALL_SAGA_LOG_LEVEL || settings.sagaLogLevel) as StageConfig['sagaLogLevel'];
  if (!['ALL', 'ERROR', 'FATAL', 'OFF'].includes(sagaLogLevel))
    throw new Error(`MALL_SAGA_LOG_LEVEL must be ALL, ERROR, FATAL or OFF, got "${sagaLogLevel}"`);
  const openOrderBoundSeconds = sagaWorkflow === 'EXPRESS' ? Math.max(settings.openOrderBoundSeconds, 360) : settings.openOrderBoundSeconds;
  const paymentTimeoutMinutes = Number(env.MALL_PAYMENT_TIMEOUT_MINUTES ?? settings.paymentTimeoutMinutes);
  if (!(paymentTimeoutMinutes > 0)) throw new Error('MALL_PAYMENT_TIMEOUT_MINUTES must be a positive number');
  const compensationAlarmMinutes = Number(env.MALL_COMPENSATION_ALARM_MINUTES ?? settings.compensationAlarmMinutes);
  if (!(compensationAlarmMinutes >= 5 && compensationAlarmMinutes % 5 === 0))
    throw new Error('MALL_COMPENSATION_ALARM_MINUTES must be a multiple of 5, at least 5');
  const payOrderWaitMs = waitMs(env, 'MALL_PAY_ORDER_WAIT_MS', settings.payOrderWaitMs);
  const orderCreateWaitMs = waitMs(env, 'MALL_ORDER_CREATE_WAIT_MS', settings.orderCreateWaitMs);
  const paymentSandbox = flag('MALL_PAY_SANDBOX', env.MALL_PAY_SANDBOX) ?? settings.paymentSandbox;
  const loginLockout = {
    ...settings.loginLockout,
    backoffBaseSeconds: positive(env, 'MALL_LOGIN_BACKOFF_SECONDS', settings.loginLockout.backoffBaseSeconds),
  };
  const wafRateLimit = env.MALL_WAF_RATE_LIMIT === 'off' ? undefined : positive(env, 'MALL_WAF_RATE_LIMIT', settings.wafRateLimit);
  const orderLimits = {
    ...settings.orderLimits,
    flashSalePaymentMinutes: Math.min(settings.orderLimits.flashSalePaymentMinutes, paymentTimeoutMinutes),
  };
  const corsOrigins = env.MALL_CORS_ORIGINS === undefined ? settings.corsOrigins : origins(env.MALL_CORS_ORIGINS);
  const publicReads = {
    ...settings.publicReads,
    maxAgeSeconds: positive(env, 'MALL_PUBLIC_MAX_AGE_SECONDS', settings.publicReads.maxAgeSeconds),
  };
  const fulfilment = {
    autoReceiveDays: positive(env, 'MALL_AUTO_RECEIVE_DAYS', settings.fulfilment.autoReceiveDays),
    returnWindowDays: positive(env, 'MALL_RETURN_WINDOW_DAYS', settings.fulfilment.returnWindowDays),
  };
  return {
    ...settings,
    fulfilment,
    stage,
    corsOrigins,
    publicReads,
    loginLockout,
    wafRateLimit,
    alarmEmails,
    sagaWorkflow,
    sagaLogLevel,
    openOrderBoundSeconds,
    paymentTimeoutMinutes,
    payOrderWaitMs,
    orderCreateWaitMs,
    compensationAlarmMinutes,
    paymentSandbox,
    orderLimits,
  };
}

/** An on/off setting: 1/true or 0/false; undefined when not set. */
function flag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}

/** A positive integer from the environment, or the stage's value. */
function positive<T extends number | undefined>(env: NodeJS.ProcessEnv, name: string, fallback: T): number | T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** MALL_CORS_ORIGINS: exact web origins, comma-separated ("none": no CORS); no "*", no paths. */
export function origins(value: string): string[] {
  if (value.trim() === 'none') return [];
  const found = list(value);
  for (const origin of found) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin) && !/^https?:\/\/\[[0-9a-f:]+\](:\d{1,5})?$/i.test(origin))
      throw new Error(`MALL_CORS_ORIGINS: "${origin}" is not a web origin like https://shop.example.com (no "*", path or trailing slash)`);
  }
  return [...new Set(found)];
}

/** A wait of an API call for the saga: whole milliseconds from 0 to 5000, well under the 10 s function timeout. */
function waitMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] || fallback);
  if (!(Number.isSafeInteger(value) && value >= 0 && value <= MAX_WAIT_MS))
    throw new Error(`${name} must be a whole number of milliseconds from 0 to ${MAX_WAIT_MS}`);
  return value;
}
