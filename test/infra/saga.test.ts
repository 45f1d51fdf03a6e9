import { describe, expect, it } from 'vitest';
import { synthStage } from './synth';

function synth(env: Record<string, string> = {}) {
  const template = synthStage('dev', env).merged;
  const [machine] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'region', 'AWS::AccountId': 'account' };
  const definition = JSON.parse(
    parts.map((p: any) => (typeof p === 'string' ? p : (pseudo[p.Ref] ?? 'arn:aws:lambda:region:account:function:f'))).join(''),
  );
  return { template, machine, definition };
}

const ACTIONS = ['OpenOrder', 'ReserveStock', 'UseCoupon', 'CreatePayment', 'MarkAwaitingPayment'];
const COMPENSATIONS = ['ClosePayment', 'RestoreCoupon', 'ReleaseStock', 'CancelOrder'];

/** Seconds a retrier keeps trying before it gives up (without jitter). */
function retryWindow(r: { IntervalSeconds: number; BackoffRate: number; MaxAttempts: number; MaxDelaySeconds?: number }): number {
  let total = 0;
  for (let i = 0; i < Math.min(r.MaxAttempts, 1000); i++)
    total += Math.min(r.IntervalSeconds * r.BackoffRate ** i, r.MaxDelaySeconds ?? Infinity);
  return total;
}

describe('the order saga state machine', () => {
  const { template, machine, definition } = synth();

  it('is an Express workflow by default, traced and logged', () => {
    expect(machine.Properties.StateMachineType).toBe('EXPRESS');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: false });
    expect(synth({ MALL_SAGA_LOG_LEVEL: 'ALL' }).machine.Properties.LoggingConfiguration.Level).toBe('ALL');
    expect(() => synth({ MALL_SAGA_LOG_LEVEL: 'all' })).toThrow(/MALL_SAGA_LOG_LEVEL must be/);
  });

  it("keeps the sweeper bound beyond Express's 5 minutes, and becomes Standard by configuration", () => {
    const sweep = Object.values<any>(template.Resources).find((r) => r.Properties?.Environment?.Variables?.OPEN_ORDER_BOUND_SECONDS);
    expect(Number(sweep.Properties.Environment.Variables.OPEN_ORDER_BOUND_SECONDS)).toBeGreaterThan(300);
    expect(synth({ MALL_SAGA_WORKFLOW: 'STANDARD' }).machine.Properties.StateMachineType).toBe('STANDARD');
    expect(() => synth({ MALL_SAGA_WORKFLOW: 'express' })).toThrow(/MALL_SAGA_WORKFLOW must be EXPRESS or STANDARD/);
  });

  it('uses only what aws-local-stepfunctions runs: JSONPath, no Assign, Lambda tasks', () => {
    const text = JSON.stringify(definition);
    expect(definition.QueryLanguage).toBeUndefined();
    expect(text).not.toMatch(/"Assign"|JSONata|waitForTaskToken/);
    for (const state of Object.values<any>(definition.States).filter((s) => s.Type === 'Task')) {
      expect(state.Resource).toMatch(/^arn:aws:lambda:/);
    }
  });

  it('retries actions on transient errors with jittered backoff for minutes, then compensates', () => {
    for (const name of ACTIONS) {
      const state = definition.States[name];
      expect(state, name).toBeDefined();
      const [retry] = state.Retry;
      expect(retry.ErrorEquals).toEqual(['States.ALL']);
      expect(retry.JitterStrategy).toBe('FULL');
      expect(retryWindow(retry), name).toBeGreaterThan(5 * 60);
      expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'StepFailed' })]);
    }
  });

  it('routes a business FAILURE by Choice to the compensations, never by a retried error', () => {
    for (const name of ACTIONS) {
      const choice = definition.States[definition.States[name].Next];
      expect(choice.Type, name).toBe('Choice');
      expect(JSON.stringify(choice.Choices)).toContain('"StringEquals":"SUCCESS"');
      // An order no longer pending is another run's: OpenOrder's refusal ends this run, compensating nothing.
      if (name === 'OpenOrder') {
        expect(definition.States[choice.Default]).toEqual({ Type: 'Succeed' });
        continue;
      }
      const refused = definition.States[choice.Default];
      expect(refused.Type).toBe('Pass');
      expect(refused.Next).toBe('ClosePayment');
    }
  });

  it('retries compensations until they succeed, without a catch that could skip them', () => {
    for (const name of COMPENSATIONS) {
      const state = definition.States[name];
      expect(state.Retry[0].MaxAttempts, name).toBeGreaterThanOrEqual(1_000_000);
      expect(state.Catch, name).toBeUndefined();
    }
    // Every compensation runs in reverse order, ending with the order cancelled.
    expect(definition.States.ReleaseStock.Next).toBe('CancelOrder');
    expect(definition.States.RestoreCoupon.Next).toBe('ReleaseStock');
  });

  it('runs a sweeper on a schedule to drive stuck orders to a terminal state', () => {
    const rules = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toContain('rate(1 minute)');
  });
});
