import { afterEach, describe, expect, it, vi } from 'vitest';

// A secret read once per container, except that a reader may ask for a value at most so old:
// the provider key, so that an operator's rotation reaches warm notify functions.
const sm = vi.hoisted(() => ({ values: [] as string[], reads: 0 }));
vi.mock('@aws-sdk/client-secrets-manager', () => ({
  GetSecretValueCommand: class {},
  SecretsManagerClient: class {
    send = async () => ({ SecretString: sm.values[sm.reads++] });
  },
}));
vi.mock('../../shared/powertools', () => ({ tracer: { captureAWSv3Client: <T>(client: T) => client } }));

afterEach(() => vi.useRealTimers());

describe('getSecret', () => {
  it('keeps a value for the container by default, and reads it again once older than maxAgeMs', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { getSecret } = await import('../../shared/secrets');
    sm.values = ['jwt-key', 'old-provider-key', 'new-provider-key'];
    expect(await getSecret('jwt')).toBe('jwt-key');
    expect(await getSecret('provider', 300_000)).toBe('old-provider-key');
    vi.advanceTimersByTime(299_999);
    expect(await getSecret('provider', 300_000)).toBe('old-provider-key');
    vi.advanceTimersByTime(1);
    expect(await getSecret('provider', 300_000)).toBe('new-provider-key');
    vi.advanceTimersByTime(86_400_000);
    expect(await getSecret('jwt')).toBe('jwt-key');
    expect(sm.reads).toBe(3);
  });
});
