import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    /** The token signing key, when the target's is known: always for the local cloud. */
    jwtSecret: string | undefined;
    /** An account with the admin role (registered by the tests if it does not exist yet). */
    admin: { mobile: string; password: string };
    /** The local cloud's loopback AWS endpoint with its test hooks; undefined for a remote target. */
    awsEndpoint: string | undefined;
    /** The local cloud's DynamoDB Local endpoint, for operator actions (npm run admin:grant); undefined for a remote target. */
    dynamoEndpoint: string | undefined;
    /** A mobile the local cloud's MALL_ADMIN_MOBILES lists but nobody registered: listing must grant nothing. */
    listedAdminMobile: string | undefined;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let child: ChildProcess | undefined;
const TEST_ADMIN = { mobile: '19900000000', password: 'admin-password-1' };
const LISTED_ADMIN_MOBILE = '19900000001';

/**
 * Starts `npm start`'s local cloud (in memory, on a free port) once for the whole run, or uses
 * MALL_API_URL (a LocalStack or AWS stage) with MALL_JWT_SECRET for the forged-token tests.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.MALL_API_URL) {
    project.provide('apiUrl', process.env.MALL_API_URL.replace(/\/$/, ''));
    project.provide('jwtSecret', process.env.MALL_JWT_SECRET);
    const [mobile, password] = [process.env.MALL_ADMIN_MOBILE, process.env.MALL_ADMIN_PASSWORD];
    if (!mobile || !password) throw new Error('with MALL_API_URL, set MALL_ADMIN_MOBILE and MALL_ADMIN_PASSWORD of an admin');
    project.provide('admin', { mobile, password });
    project.provide('awsEndpoint', undefined);
    project.provide('listedAdminMobile', undefined);
    project.provide('dynamoEndpoint', undefined);
    return;
  }
  child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'infra/local/start.ts'), '--json'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      // This machine only, whatever HOST the shell has (local-exposure.test.ts checks it).
      HOST: '127.0.0.1',
      MALL_IN_MEMORY: '1',
      MALL_DEMO: 'off',
      // Grants nothing any more (roles are stored, granted by the operator or an admin); kept so
      // the takeover test shows a listed mobile gets no role by registering.
      MALL_ADMIN_MOBILES: `${TEST_ADMIN.mobile},${LISTED_ADMIN_MOBILE}`,
      // A short login backoff, so the lockout test can wait it out.
      MALL_LOGIN_BACKOFF_SECONDS: '2',
      MALL_LOCAL_RETRY_MS: '20',
      // order/create waits for the saga's outcome this long (2 s by default): room for a busy machine.
      MALL_ORDER_CREATE_WAIT_MS: '5000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const ready = await new Promise<{ apiUrl: string; awsEndpoint: string; dynamoEndpoint: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud did not start in 180 s:\n${stderr}`)), 180_000);
    child!.once('exit', (code) => reject(new Error(`local cloud exited (${code}):\n${stderr}`)));
    createInterface({ input: child!.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  project.provide('apiUrl', ready.apiUrl);
  project.provide('jwtSecret', await localSigningSecret(ready.awsEndpoint));
  project.provide('admin', TEST_ADMIN);
  project.provide('awsEndpoint', ready.awsEndpoint);
  project.provide('listedAdminMobile', LISTED_ADMIN_MOBILE);
  project.provide('dynamoEndpoint', ready.dynamoEndpoint);
}

export async function teardown(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child!.once('exit', resolve);
    child!.kill('SIGTERM');
  });
}

/** Reads the signing key from the local cloud's Secrets Manager, as a deployed function would. */
async function localSigningSecret(endpoint: string): Promise<string> {
  const client = new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { SecretList = [] } = await client.send(new ListSecretsCommand({}));
  const secret = SecretList.find((s) => s.Name?.startsWith('JwtSigningSecret'));
  if (!secret?.ARN) throw new Error('no JwtSigningSecret in the local cloud');
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
  client.destroy();
  return SecretString!;
}
