import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from './powertools';

// Created on first use, so a module that imports this one but never reads a secret carries no client.
let client: SecretsManagerClient | undefined;
const cache = new Map<string, { value: Promise<string>; readAt: number }>();

/**
 * Reads a secret once per container, or again once the value read is `maxAgeMs` old (a key that
 * an operator rotates reaches warm containers within that time). A failed read is not cached, so
 * the next call retries.
 */
export function getSecret(secretId: string, maxAgeMs = Number.POSITIVE_INFINITY): Promise<string> {
  const cached = cache.get(secretId);
  if (cached && Date.now() - cached.readAt < maxAgeMs) return cached.value;
  client ??= tracer.captureAWSv3Client(new SecretsManagerClient({}));
  const value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
    if (!out.SecretString) throw new Error(`secret ${secretId} has no string value`);
    return out.SecretString;
  });
  const entry = { value, readAt: Date.now() };
  value.catch(() => {
    if (cache.get(secretId) === entry) cache.delete(secretId);
  });
  cache.set(secretId, entry);
  return value;
}
