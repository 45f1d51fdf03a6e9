import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthStage } from './synth';

/**
 * No Docker engine runs here, so LocalStack itself cannot: these tests run the deploy script
 * with `curl` and `npx` replaced by recorders on PATH, and check what it would run, with what
 * environment, and that LocalStack is started with every service the stacks use. The synth it
 * runs (`cdk synth` of the localstack stage through the CLI) is part of `npm run check:deploy`.
 */
function runDeployScript(env: Record<string, string> = {}, healthy = true) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mall-ls-'));
  const record = path.join(bin, 'calls.jsonl');
  const recorder = (name: string, exitCode: number) =>
    fs.writeFileSync(
      path.join(bin, name),
      `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(record)}, JSON.stringify({ cmd: ${JSON.stringify(name)}, args: process.argv.slice(2), env: process.env }) + '\\n');\nprocess.exit(${exitCode});\n`,
      { mode: 0o755 },
    );
  recorder('npx', 0);
  recorder('curl', healthy ? 0 : 7);
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_|MALL_)/.test(k)));
  let status = 0;
  let stderr = '';
  try {
    execFileSync('bash', ['infra/deploy-localstack.sh'], {
      env: { ...cleanEnv, ...env, PATH: `${bin}:${process.env.PATH}` },
      stdio: 'pipe',
    });
  } catch (error: any) {
    status = error.status;
    stderr = String(error.stderr);
  }
  const calls = fs.existsSync(record)
    ? fs
        .readFileSync(record, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];
  return { status, stderr, calls };
}

describe('npm run deploy:localstack', () => {
  it('bootstraps, then deploys every stack of the localstack stage to LocalStack with test credentials', () => {
    const { status, calls } = runDeployScript();
    expect(status).toBe(0);
    expect(calls.map((c) => [c.cmd, ...c.args])).toEqual([
      ['curl', '-fsS', 'http://localhost.localstack.cloud:4566/_localstack/health'],
      ['npx', 'cdklocal', 'bootstrap', 'aws://000000000000/us-east-1'],
      ['npx', 'cdklocal', 'deploy', '--all', '--require-approval', 'never', '--outputs-file', 'cdk.out/localstack-outputs.json'],
    ]);
    for (const { env } of calls.slice(1)) {
      expect(env).toMatchObject({
        MALL_STAGE: 'localstack',
        AWS_ENDPOINT_URL: 'http://localhost.localstack.cloud:4566',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_REGION: 'us-east-1',
        CDK_DEFAULT_ACCOUNT: '000000000000',
        CDK_DEFAULT_REGION: 'us-east-1',
      });
    }
  });

  it('follows the region and endpoint given, and stops with a hint when LocalStack is not up', () => {
    const { calls } = runDeployScript({ AWS_DEFAULT_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
    expect(calls[1].args).toEqual(['cdklocal', 'bootstrap', 'aws://000000000000/eu-west-1']);
    expect(calls[2].env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      CDK_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });

    const down = runDeployScript({}, false);
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('docker compose -f localstack-compose.yml up -d');
    expect(down.calls.map((c) => c.cmd)).toEqual(['curl']);
  });

  it('starts LocalStack with every service the stacks use', () => {
    const compose = fs.readFileSync('localstack-compose.yml', 'utf8');
    const services = new Set(/SERVICES=([\w,]+)/.exec(compose)![1]!.split(','));
    const { merged } = synthStage('localstack');
    const serviceOf: Record<string, string> = {
      apigateway: 'apigateway',
      stepfunctions: 'stepfunctions',
      secretsmanager: 'secretsmanager',
      cloudwatch: 'cloudwatch',
      logs: 'logs',
      events: 'events',
    };
    const needed = new Set(
      Object.values<any>(merged.Resources)
        .map((r) => String(r.Type).split('::')[1]!.toLowerCase())
        .map((s) => serviceOf[s] ?? s),
    );
    // CDK's bootstrap and assets use these besides.
    for (const s of ['cloudformation', 's3', 'ssm', 'sts', 'iam']) needed.add(s);
    expect([...needed].filter((s) => !services.has(s))).toEqual([]);
  });
});
