import { randomUUID } from 'node:crypto';
import type { LocalAwsEndpoint } from './aws-services';
import type { LocalLambdas } from './lambda-runtime';
import { LocalTelemetry } from './telemetry';
import type { SynthesizedTemplate } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

interface Target {
  functionId: string;
  deadLetterQueue: string | undefined;
  maxRetries: number;
}

interface Rule {
  name: string;
  arn: string;
  bus: string;
  pattern: Record<string, unknown>;
  targets: Target[];
}

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/**
 * Local EventBridge: PutEvents on the template's buses, rules matched by their event patterns,
 * delivery to Lambda targets with retries and dead-letter queues, and an archive that can be
 * replayed.
 */
export class LocalEventBridge {
  private readonly rules: Rule[] = [];
  readonly archive: Array<{ bus: string; event: BusEvent }> = [];
  readonly deadLetters = new Map<string, Array<{ event: BusEvent; error: string }>>();
  private readonly inFlight = new Set<Promise<void>>();
  /** PutEvents entries still to refuse (failNext). */
  private failures = 0;

  constructor(
    template: SynthesizedTemplate,
    private readonly lambdas: LocalLambdas,
    private readonly telemetry: LocalTelemetry,
    private readonly retryPauseMs = 200,
  ) {
    for (const [logicalId, resource] of template.ofType('AWS::Events::Rule')) {
      const p = resource.Properties ?? {};
      if (!p.EventPattern) continue; // schedules are LocalSchedules' business
      this.rules.push({
        name: String(resource.Metadata?.['aws:cdk:path'] ?? logicalId),
        arn: String(template.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
        bus: p.EventBusName ? String(template.resolve(p.EventBusName)) : 'default',
        pattern: p.EventPattern,
        targets: (p.Targets ?? []).map((t: any) => ({
          functionId: String(template.resolve(t.Arn)).split(':function:')[1]!,
          deadLetterQueue: t.DeadLetterConfig ? String(template.resolve(t.DeadLetterConfig.Arn)) : undefined,
          maxRetries: Math.min(t.RetryPolicy?.MaximumRetryAttempts ?? 185, 5), // locally a few retries show the behaviour
        })),
      });
    }
  }

  serve(endpoint: LocalAwsEndpoint): void {
    endpoint.onTarget('AWSEvents.PutEvents', ({ Entries = [] }: { Entries?: any[] }) => {
      const results = Entries.map((entry) => {
        if (this.failures <= 0) return { EventId: this.put(String(entry.EventBusName ?? 'default'), entry) };
        this.failures--;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'local cloud: this entry was refused (POST /_local/events/failures)' };
      });
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    });
  }

  /**
   * The next `count` PutEvents entries are refused as AWS reports a partial failure: HTTP 200,
   * FailedEntryCount, and the entry with an ErrorCode instead of an EventId. Nothing is archived
   * or delivered for them. 0 ends the outage.
   */
  failNext(count: number): void {
    this.failures = Math.max(0, Math.floor(count));
  }

  /** Delivers again every archived event matching `detailType` (all when omitted), as a replay does. */
  replay(detailType?: string): number {
    const events = this.archive.filter((a) => !detailType || a.event['detail-type'] === detailType);
    for (const { bus, event } of events) this.route(bus, { ...event, id: randomUUID() }, LocalTelemetry.newTraceId());
    return events.length;
  }

  /** Resolves when every delivery under way has finished (retries included). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private put(
    bus: string,
    entry: { Source: string; DetailType: string; Detail: string; Resources?: string[]; Time?: string; TraceHeader?: string },
  ): string {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: entry.Time ? new Date(entry.Time).toISOString() : new Date().toISOString(),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail),
    };
    this.archive.push({ bus, event });
    const traceId = entry.TraceHeader?.match(/Root=[^;]+/)?.[0] ?? LocalTelemetry.newTraceId();
    const key = this.telemetry.keyOf(event);
    this.telemetry.record({
      traceId,
      kind: 'event',
      name: `${event.source} ${event['detail-type']}`,
      start: Date.now(),
      ms: 0,
      ok: true,
      ...(key !== undefined ? { key } : {}),
    });
    this.route(bus, event, traceId);
    return event.id;
  }

  private route(bus: string, event: BusEvent, traceId: string): void {
    for (const rule of this.rules) {
      if (rule.bus !== bus || !matches(rule.pattern, event as unknown as Record<string, unknown>)) continue;
      for (const target of rule.targets) {
        const delivery = this.deliver(target, event, traceId, rule.arn).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
  }

  /** Asynchronous invocation: retried with backoff, then dead-lettered, as EventBridge does. */
  private async deliver(target: Target, event: BusEvent, traceId: string, ruleArn: string): Promise<void> {
    let error = '';
    for (let attempt = 0; attempt <= target.maxRetries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.retryPauseMs * attempt));
      const outcome = await this.lambdas.invoke(target.functionId, event, traceId, { service: 'events.amazonaws.com', sourceArn: ruleArn });
      if (outcome.ok) return;
      error = `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
    }
    const queue = target.deadLetterQueue ?? '(no dead-letter queue)';
    this.deadLetters.set(queue, [...(this.deadLetters.get(queue) ?? []), { event, error }]);
  }
}

/** EventBridge pattern matching for what the mall's rules use: exact values, nested objects. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) return expected.some((value) => value === actual);
    if (expected && typeof expected === 'object')
      return !!actual && typeof actual === 'object' && matches(expected as Record<string, unknown>, actual as Record<string, unknown>);
    return expected === actual;
  });
}
