import { randomBytes } from 'node:crypto';

/** One timed piece of work in a trace: an API request, a function invocation, an event delivery. */
export interface Span {
  traceId: string;
  kind: 'api' | 'lambda' | 'event';
  name: string;
  start: number;
  ms: number;
  ok: boolean;
  detail?: string;
  /** What the deployment correlates the span with beyond its trace (see Correlation). */
  key?: CorrelationKey;
}

/** A value spans are grouped by across traces, e.g. a business entity's id. */
export type CorrelationKey = string | number;

/** An API request with the answer it got, as a Correlation reads it. */
export interface ApiExchange {
  method: string;
  path: string;
  status: number;
  body: string | Buffer;
}

/**
 * Where a deployment's correlation key appears in what passes through the local cloud. The
 * services ask it for every span they record and know nothing of what the key means; it is
 * supplied when the local cloud is wired (the mall's is in mall-view.ts).
 */
export interface Correlation {
  /** The key a payload names: a function's event or result, an event put on a bus. */
  inPayload(payload: unknown): CorrelationKey | undefined;
  /** The key an API exchange names, e.g. the id of what the request created. */
  inApiExchange(exchange: ApiExchange): CorrelationKey | undefined;
}

const NO_CORRELATION: Correlation = { inPayload: () => undefined, inApiExchange: () => undefined };

interface MetricSeries {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  sum: number;
  count: number;
}

const MAX_SPANS = 20_000;

/**
 * The local stand-in for X-Ray and CloudWatch metrics. Trace ids travel as AWS does: the API
 * starts one per request, functions get it as _X_AMZN_TRACE_ID, and it continues into Step
 * Functions (StartExecution's traceHeader) and EventBridge (PutEvents' TraceHeader). Metrics
 * are read from the functions' embedded-metric-format log lines.
 */
export class LocalTelemetry {
  readonly spans: Span[] = [];
  private readonly metricSeries = new Map<string, MetricSeries>();

  constructor(private readonly correlation: Correlation = NO_CORRELATION) {}

  static newTraceId(): string {
    return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  }

  /** The correlation key the first of `payloads` that names one names. */
  keyOf(...payloads: unknown[]): CorrelationKey | undefined {
    for (const payload of payloads) {
      const key = this.correlation.inPayload(payload);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  keyOfApiExchange(exchange: ApiExchange): CorrelationKey | undefined {
    return this.correlation.inApiExchange(exchange);
  }

  record(span: Span): void {
    this.spans.push(span);
    if (this.spans.length > MAX_SPANS) this.spans.splice(0, this.spans.length - MAX_SPANS);
  }

  /** Reads a function's log line; embedded metric format lines become metrics. */
  logLine(line: string): void {
    if (!line.startsWith('{') || !line.includes('"_aws"')) return;
    let record: any;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    for (const directive of record._aws?.CloudWatchMetrics ?? []) {
      const dimensionNames: string[] = (directive.Dimensions ?? [[]])[0] ?? [];
      const dimensions = Object.fromEntries(dimensionNames.map((d) => [d, String(record[d])]));
      for (const { Name } of directive.Metrics ?? []) {
        const values = [record[Name]].flat().map(Number);
        const key = `${directive.Namespace}|${Name}|${JSON.stringify(dimensions)}`;
        const series = this.metricSeries.get(key) ?? { namespace: directive.Namespace, name: Name, dimensions, sum: 0, count: 0 };
        series.sum += values.reduce((a, b) => a + b, 0);
        series.count += values.length;
        this.metricSeries.set(key, series);
      }
    }
  }

  metrics(): MetricSeries[] {
    return [...this.metricSeries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every span of every trace that touched `key`. */
  correlated(key: CorrelationKey): Span[] {
    const traces = new Set(this.spans.filter((s) => s.key === key).map((s) => s.traceId));
    return this.spans.filter((s) => traces.has(s.traceId)).sort((a, b) => a.start - b.start);
  }

  trace(traceId: string): Span[] {
    return this.spans.filter((s) => s.traceId === traceId).sort((a, b) => a.start - b.start);
  }

  /** The correlation keys of the latest spans, newest first. */
  recentKeys(limit = 30): CorrelationKey[] {
    const seen: CorrelationKey[] = [];
    for (let i = this.spans.length - 1; i >= 0 && seen.length < limit; i--) {
      const key = this.spans[i]!.key;
      if (key !== undefined && !seen.includes(key)) seen.push(key);
    }
    return seen;
  }
}
