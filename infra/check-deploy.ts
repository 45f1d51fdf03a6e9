import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { STACK_RESOURCE_BUDGET } from './app';
import { SynthesizedTemplate } from './local/template';

/**
 * `npm run check:deploy`: what `npm run deploy` does before it touches AWS, for every AWS stage.
 * Each stage is synthesized through the CDK CLI (`cdk synth`, as `cdk deploy` runs it: the CLI
 * sets the region and account, cdk-nag runs, bundling runs) with a concrete account in two
 * regions. Then, per synthesized app: no stack above the resource budget, and every state machine
 * definition valid for asl-validator. AWS Control Tower's proactive controls (cfn-guard) run once,
 * on prod, the stage that must comply. Any failure exits non-zero.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNT = '123456789012';
const runs = ['dev', 'prod', 'localstack'].flatMap((stage) =>
  ['us-east-1', 'eu-west-1'].map((region) => ({ stage, region, guard: stage === 'prod' && region === 'us-east-1' })),
);
const outRoot = path.join(root, 'cdk.out', 'check-deploy');
fs.rmSync(outRoot, { recursive: true, force: true });

type Run = (typeof runs)[number];
const problems: string[] = [];

/** Synthesizes one run; answers what it checked, one line each. */
async function synth({ stage, region, guard }: Run): Promise<string[]> {
  const outdir = path.join(outRoot, `${stage}-${region}`);
  // The CLI takes the region from AWS_REGION (it overwrites CDK_DEFAULT_REGION with it) and
  // keeps CDK_DEFAULT_ACCOUNT when no credentials name another account.
  const env = {
    ...process.env,
    MALL_STAGE: stage,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    CDK_DEFAULT_ACCOUNT: ACCOUNT,
    MALL_CFN_GUARD: guard ? '1' : '0',
    // Prod refuses to synth without alarm subscribers; the check needs an address, not a real one.
    ...(stage === 'prod' && !process.env.MALL_ALARM_EMAILS ? { MALL_ALARM_EMAILS: 'ops@example.com' } : {}),
  };
  const args = ['cdk', 'synth', '--quiet', '--output', outdir];
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn('npx', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', (code) => resolve({ code, text }));
  });
  const label = `${stage} in ${region}${guard ? ' with Control Tower rules' : ''}`;
  if (output.code !== 0) {
    const errors = output.text.split('\n').filter((line) => !/Bundling asset|index\.mjs|Done in|^\s*$|npm warn/.test(line));
    problems.push(`cdk synth of ${label} failed (exit ${output.code}):\n${errors.join('\n')}`);
    return [`${label}: synth FAILED`];
  }
  return [`${label}: synthesized`, ...check(outdir, stage, region)];
}

function check(outdir: string, stage: string, region: string): string[] {
  const lines: string[] = [];
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const artifacts: Record<string, { type: string; environment: string; properties: { templateFile: string } }> = manifest.artifacts;
  const stacks = Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  for (const [name, artifact] of stacks) {
    if (artifact.environment !== `aws://${ACCOUNT}/${region}`)
      problems.push(`${name} targets ${artifact.environment}, not aws://${ACCOUNT}/${region}`);
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
    const count = Object.keys(template.Resources ?? {}).length;
    lines.push(`  ${name}: ${count} resources`);
    if (count > STACK_RESOURCE_BUDGET) problems.push(`${name} has ${count} resources, over the budget of ${STACK_RESOURCE_BUDGET}`);
  }
  const merged = new SynthesizedTemplate(
    outdir,
    stacks.map(([name]) => name),
  );
  for (const [id, machine] of merged.ofType('AWS::StepFunctions::StateMachine')) {
    const definition = JSON.parse(String(merged.resolve(machine.Properties!.DefinitionString)));
    const { isValid, errors } = aslValidator(definition, { checkArn: true, checkPaths: true });
    if (!isValid) problems.push(`${stage} ${region}: state machine ${id} is not valid ASL: ${JSON.stringify(errors)}`);
    else lines.push(`  state machine ${id}: valid ASL (${Object.keys(definition.States).length} states)`);
  }
  return lines;
}

// Two at a time: bundling uses both cores of a small machine anyway.
const queue = [...runs];
await Promise.all(
  [0, 1].map(async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const started = Date.now();
      const [first, ...rest] = await synth(run);
      console.log([`${first} in ${((Date.now() - started) / 1000).toFixed(0)} s`, ...rest].join('\n'));
    }
  }),
);
if (problems.length) {
  console.error(`\ncheck:deploy found ${problems.length} problem(s):\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log(
  `\ncheck:deploy: ${runs.length} synths through the CDK CLI passed (stages dev, prod, localstack; regions us-east-1, eu-west-1).`,
);
