import { describe, expect, it } from 'vitest';
import { synthStage } from './synth';

// What each stage's functions hash passwords with (functions/user/passwords.ts reads it).
function scryptCosts(stage: string): Record<string, string | undefined> {
  const { merged } = synthStage(stage);
  const costs: Record<string, string | undefined> = {};
  for (const resource of Object.values<any>(merged.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = String(resource.Properties.FunctionName);
    costs[name.slice(name.lastIndexOf('-user-') + 1)] = resource.Properties.Environment?.Variables?.SCRYPT_COST;
  }
  return costs;
}

const HASHING = ['user-register', 'user-login', 'user-password-change'];

describe('password hashing cost', () => {
  it.each(['dev', 'prod', 'localstack'])("is OWASP's scrypt N=2^17 on every function of the %s stage that hashes", (stage) => {
    const costs = scryptCosts(stage);
    for (const fn of HASHING) expect(costs[fn], fn).toBe(String(2 ** 17));
    const cheaper = Object.entries(costs).filter(([, cost]) => cost !== undefined && cost !== String(2 ** 17));
    expect(cheaper).toEqual([]);
  });

  it('is lower only in the local cloud, for its test and demo accounts', () => {
    const costs = scryptCosts('local');
    for (const fn of HASHING) expect(costs[fn], fn).toBe(String(2 ** 12));
  });
});
