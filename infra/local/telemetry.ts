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
  orderId?: number;
}

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

  static newTraceId(): string {
    return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
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

  /** Every span of every trace that touched the order. */
  order(orderId: number): Span[] {
    const traces = new Set(this.spans.filter((s) => s.orderId === orderId).map((s) => s.traceId));
    return this.spans.filter((s) => traces.has(s.traceId)).sort((a, b) => a.start - b.start);
  }

  trace(traceId: string): Span[] {
    return this.spans.filter((s) => s.traceId === traceId).sort((a, b) => a.start - b.start);
  }

  recentOrders(limit = 30): number[] {
    const seen: number[] = [];
    for (let i = this.spans.length - 1; i >= 0 && seen.length < limit; i--) {
      const id = this.spans[i]!.orderId;
      if (id !== undefined && !seen.includes(id)) seen.push(id);
    }
    return seen;
  }
}

/** Where an invocation's payload names an order: saga input, event detail. */
export function orderIdOf(payload: unknown): number | undefined {
  const p = payload as { orderId?: unknown; detail?: { orderId?: unknown } } | null;
  const id = p?.orderId ?? p?.detail?.orderId;
  return typeof id === 'number' ? id : undefined;
}
