import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { SynthesizedTemplate } from './template';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '!#$%&()*+,-.:;<=>?@[]^_{|}~';

/**
 * Local Secrets Manager: every secret in the template gets a random value, generated the way
 * its GenerateSecretString asks. With a data directory the values are kept in `file`, so
 * tokens signed before a restart stay valid after it.
 */
export function serveSecrets(template: SynthesizedTemplate, endpoint: LocalAwsEndpoint, file: string | undefined): Map<string, string> {
  const saved: Record<string, string> = file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const values = new Map<string, string>();
  for (const [logicalId, resource] of template.ofType('AWS::SecretsManager::Secret')) {
    const arn = template.ref(logicalId);
    const generate = resource.Properties?.GenerateSecretString ?? {};
    const alphabet = ALPHANUMERIC + (generate.ExcludePunctuation ? '' : PUNCTUATION);
    const length = generate.PasswordLength ?? 32;
    values.set(arn, saved[arn] ?? Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join(''));
  }
  if (file) fs.writeFileSync(file, JSON.stringify(Object.fromEntries(values), null, 2), { mode: 0o600 });

  endpoint.onTarget('secretsmanager.GetSecretValue', ({ SecretId }: { SecretId?: string }) => {
    const arn = [...values.keys()].find((a) => a === SecretId || a.endsWith(`:secret:${SecretId}`));
    if (!arn) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return { ARN: arn, Name: arn.split(':secret:')[1], SecretString: values.get(arn), VersionId: 'local', VersionStages: ['AWSCURRENT'] };
  });
  endpoint.onTarget('secretsmanager.ListSecrets', () => ({
    SecretList: [...values.keys()].map((arn) => ({ ARN: arn, Name: arn.split(':secret:')[1] })),
  }));
  return values;
}
