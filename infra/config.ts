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
   * A WAF rate-based rule on the API stage: requests per 5 minutes per client IP, or undefined
   * for none (MALL_WAF_RATE_LIMIT: a number, or "off"). The local cloud has no WAF.
   */
  wafRateLimit: number | undefined;
  /** Keep tables and secrets when the stack is deleted. */
  retainData: boolean;
  logRetentionDays: 7 | 30 | 90 | 365;
  /** API-wide throttling, requests per second and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  /** The order saga's workflow type. Standard keeps history and can be described; Express is cheaper. */
  sagaWorkflow: 'STANDARD' | 'EXPRESS';
  /**
   * An order still pending (or cancelling) this long after it was created, and whose saga is not
   * running, is driven to cancelled. For Express it must exceed Express's 5-minute limit.
   */
  openOrderBoundSeconds: number;
  /** How often the sweeper looks for such orders, and for unpaid ones. */
  sweepEveryMinutes: number;
  /** An order not paid this long after it awaits payment is closed (MALL_PAYMENT_TIMEOUT_MINUTES). */
  paymentTimeoutMinutes: number;
  /**
   * go-zero-mall's user-token payment callback (sandbox). On in the local cloud, off in AWS
   * stages, where only the provider's signed notification can mark a payment paid.
   */
  paymentSandbox: boolean;
  /** How long the event bus archive keeps events for replay. */
  eventArchiveDays: number;
  /** Who gets the alarms by email (MALL_ALARM_EMAILS, comma-separated); each must confirm the subscription. */
  alarmEmails: string[];
}

const base: Omit<StageConfig, 'stage'> = {
  accessTokenTtlSeconds: 86_400,
  authorizerCacheTtlSeconds: 300,
  authorizerFlushIntervalSeconds: 5,
  loginLockout: { lockAfterFailures: 5, backoffBaseSeconds: 30, backoffMaxSeconds: 900 },
  wafRateLimit: undefined,
  retainData: false,
  logRetentionDays: 30,
  throttle: { rateLimit: 500, burstLimit: 1000 },
  sagaWorkflow: 'STANDARD',
  openOrderBoundSeconds: 600,
  sweepEveryMinutes: 1,
  paymentTimeoutMinutes: 30,
  paymentSandbox: false,
  eventArchiveDays: 30,
  alarmEmails: [],
};

const stages: Record<string, Omit<StageConfig, 'stage'>> = {
  local: { ...base, paymentSandbox: true },
  localstack: base,
  dev: base,
  prod: { ...base, retainData: true, logRetentionDays: 365, wafRateLimit: 2000 },
};

export function stageConfig(stage = process.env.MALL_STAGE ?? 'dev', env = process.env): StageConfig {
  const settings = stages[stage];
  if (!settings) throw new Error(`unknown stage "${stage}"; known: ${Object.keys(stages).join(', ')}`);
  const alarmEmails = env.MALL_ALARM_EMAILS === undefined ? settings.alarmEmails : list(env.MALL_ALARM_EMAILS);
  const badEmail = alarmEmails.find((email) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email));
  if (badEmail) throw new Error(`MALL_ALARM_EMAILS: "${badEmail}" is not an email address`);
  const sagaWorkflow = env.MALL_SAGA_WORKFLOW === 'EXPRESS' ? 'EXPRESS' : settings.sagaWorkflow;
  const openOrderBoundSeconds = sagaWorkflow === 'EXPRESS' ? Math.max(settings.openOrderBoundSeconds, 360) : settings.openOrderBoundSeconds;
  const paymentTimeoutMinutes = Number(env.MALL_PAYMENT_TIMEOUT_MINUTES ?? settings.paymentTimeoutMinutes);
  if (!(paymentTimeoutMinutes > 0)) throw new Error('MALL_PAYMENT_TIMEOUT_MINUTES must be a positive number');
  const loginLockout = {
    ...settings.loginLockout,
    backoffBaseSeconds: positive(env, 'MALL_LOGIN_BACKOFF_SECONDS', settings.loginLockout.backoffBaseSeconds),
  };
  const wafRateLimit = env.MALL_WAF_RATE_LIMIT === 'off' ? undefined : positive(env, 'MALL_WAF_RATE_LIMIT', settings.wafRateLimit);
  return { ...settings, stage, loginLockout, wafRateLimit, alarmEmails, sagaWorkflow, openOrderBoundSeconds, paymentTimeoutMinutes };
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
