/** A stage's method settings as the template writes them (AWS::ApiGateway::Stage MethodSettings). */
export interface MethodSetting {
  HttpMethod?: string;
  ResourcePath?: string;
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
}

/**
 * API Gateway's stage throttling: a token bucket per method (resource path and HTTP method),
 * refilled at the rate limit and holding at most the burst limit. A method's own setting
 * replaces the stage's default (`/*` `*`) for it; a request finding the bucket empty gets the
 * THROTTLED gateway response (429).
 */
export class LocalThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly settings: MethodSetting[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for the method; false when its bucket is empty. */
  take(method: string, resourcePath: string): boolean {
    const limit = this.limitOf(method, resourcePath);
    if (!limit) return true;
    const key = `${method} ${resourcePath}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private limitOf(method: string, resourcePath: string): { rate: number; burst: number } | undefined {
    const escaped = `/${resourcePath.replaceAll('/', '~1')}`;
    const own = this.settings.find((s) => s.HttpMethod === method && s.ResourcePath === escaped);
    const setting = own ?? this.settings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*');
    if (setting?.ThrottlingRateLimit === undefined || setting.ThrottlingBurstLimit === undefined) return undefined;
    return { rate: setting.ThrottlingRateLimit, burst: setting.ThrottlingBurstLimit };
  }
}
