import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config';
import { synthStage } from './synth';

/** The callback function's PAY_SANDBOX, and the synth warnings about it. */
function sandboxOf(stage: string, env: Record<string, string>) {
  const { merged, stacks } = synthStage(stage, env);
  const [, callback] = Object.entries<any>(merged.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('PaymentsCallback'),
  )!;
  const warnings = stacks.flatMap((s) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('MALL_PAY_SANDBOX')));
  const refunders = Object.entries<any>(merged.Resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && /^Payments(ClosePayment|RelayEvents)/.test(id))
    .map(([, r]) => r.Properties.Environment.Variables.PAY_PROVIDER);
  const provider = Object.keys(merged.Resources).some((id) => id.startsWith('PaymentsSandboxRefund'));
  return { sandbox: callback.Properties.Environment.Variables.PAY_SANDBOX, warnings, refunders, provider };
}

// Sandbox payments let a user mark their own order paid: on only by an explicit setting.
describe('sandbox payments', () => {
  it('are off by default, whatever the stage is called (local included)', () => {
    for (const stage of ['local', 'prod']) {
      // Refunds have no provider then (until a real provider's adapter): no sandbox provider function either.
      expect(sandboxOf(stage, {})).toEqual({ sandbox: 'false', warnings: [], refunders: ['none', 'none'], provider: false });
    }
  });

  it('are on in a deployed stage only with MALL_PAY_SANDBOX=1, and synth warns', () => {
    const { sandbox, warnings, refunders, provider } = sandboxOf('dev', { MALL_PAY_SANDBOX: '1' });
    expect(sandbox).toBe('true');
    expect({ refunders, provider }).toEqual({ refunders: ['sandbox', 'sandbox'], provider: true }); // refunds go to the sandbox provider
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]!.entry.data)).toMatch(/any logged-in user can mark their own order paid/);
  });

  it('refuses a setting that is neither on nor off', () => {
    expect(() => stageConfig('prod', { MALL_PAY_SANDBOX: 'yes' })).toThrow('MALL_PAY_SANDBOX must be 1 or 0, got "yes"');
    expect(stageConfig('prod', { MALL_PAY_SANDBOX: '0' }).paymentSandbox).toBe(false);
  });
});

// The order service refuses what would need a refund where the payment service cannot make one:
// it must be told the very provider the payment service refunds through.
describe('the order functions that would need a refund', () => {
  it("are told the payment service's provider: none by default, the sandbox with MALL_PAY_SANDBOX=1", () => {
    for (const [stage, env, provider] of [
      ['prod', {}, 'none'],
      ['dev', { MALL_PAY_SANDBOX: '1' }, 'sandbox'],
    ] as const) {
      const { merged } = synthStage(stage, env);
      const providers = Object.entries<any>(merged.Resources)
        .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && /^Orders(Cancel|RefundApprove)[0-9A-F]{8}$/.test(id))
        .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties.Environment.Variables.PAY_PROVIDER]);
      expect(providers.sort(), stage).toEqual([
        ['OrdersCancel', provider],
        ['OrdersRefundApprove', provider],
      ]);
    }
  });
});
