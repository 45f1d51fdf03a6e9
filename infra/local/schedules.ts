import { randomUUID } from 'node:crypto';
import type { LocalLambdas } from './lambda-runtime';
import type { SynthesizedTemplate } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

interface ScheduledRule {
  name: string;
  arn: string;
  everyMs: number;
  targets: string[];
}

/**
 * Local EventBridge schedules: rules with `rate(...)` invoke their Lambda targets on that
 * period, with the scheduled event EventBridge sends. Tests fire a rule at once, at any time
 * they choose (the event's `time`), so nothing waits for the clock.
 */
export class LocalSchedules {
  private readonly rules: ScheduledRule[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    template: SynthesizedTemplate,
    private readonly lambdas: LocalLambdas,
  ) {
    for (const [logicalId, resource] of template.ofType('AWS::Events::Rule')) {
      const p = resource.Properties ?? {};
      const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(p.ScheduleExpression ?? '');
      if (!rate) continue;
      const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[rate[2]!.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
      const targets = (p.Targets ?? []).map((t: any) => String(template.resolve(t.Arn)).split(':function:')[1]).filter(Boolean);
      this.rules.push({
        name: String(resource.Metadata?.['aws:cdk:path'] ?? logicalId),
        arn: String(template.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
        everyMs: Number(rate[1]) * unit,
        targets,
      });
    }
  }

  start(): void {
    for (const rule of this.rules) {
      const timer = setInterval(
        () => void this.fire(rule.name).catch((e) => console.error(`schedule ${rule.name} failed`, e)),
        rule.everyMs,
      );
      timer.unref();
      this.timers.push(timer);
    }
  }

  stop(): void {
    this.timers.forEach(clearInterval);
  }

  /** Fires every rule whose name contains `name`, as if it were `time`. */
  async fire(name: string, time = new Date()): Promise<unknown[]> {
    const rules = this.rules.filter((r) => r.name.includes(name));
    if (!rules.length) throw new Error(`no scheduled rule matches "${name}"`);
    const results: unknown[] = [];
    for (const rule of rules) {
      for (const target of rule.targets) {
        const outcome = await this.lambdas.invoke(
          target,
          {
            version: '0',
            id: randomUUID(),
            'detail-type': 'Scheduled Event',
            source: 'aws.events',
            account: LOCAL_ACCOUNT,
            time: time.toISOString(),
            region: LOCAL_REGION,
            resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.name}`],
            detail: {},
          },
          undefined,
          { service: 'events.amazonaws.com', sourceArn: rule.arn },
        );
        results.push(outcome.ok ? outcome.result : { error: outcome.error });
      }
    }
    return results;
  }
}
