import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from './powertools';

// Created on first use, so a module that imports this one but never reads a secret carries no client.
let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<string>>();

/** Reads a secret once per container. A failed read is not cached, so the next call retries. */
export function getSecret(secretId: string): Promise<string> {
  let value = cache.get(secretId);
  if (!value) {
    client ??= tracer.captureAWSv3Client(new SecretsManagerClient({}));
    value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (!out.SecretString) throw new Error(`secret ${secretId} has no string value`);
      return out.SecretString;
    });
    value.catch(() => cache.delete(secretId));
    cache.set(secretId, value);
  }
  return value;
}
