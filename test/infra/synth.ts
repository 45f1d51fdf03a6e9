import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, type MallApp } from '../../infra/app';
import { stageConfig } from '../../infra/config';
import { mergeStacks } from '../../infra/local/template';

/** The alarm subscriber a prod synth gets when the test names none. */
export const PROD_ALARM_EMAIL = 'alarms@example.com';

/**
 * Synthesizes one stage's app without bundling, as the infrastructure tests read it: every
 * stack's template, and all of them merged into one (imports inlined), so a test can follow a
 * reference from a function in one stack to a table in another.
 */
export function synthStage(stage: string, env: Record<string, string> = {}, beforeSynth: (built: MallApp) => void = () => {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `mall-${stage}-`));
  // Without CDK's built-in CloudFormation validation: warnings only, seconds per synth, and no test reads them.
  // Prod refuses to synth without alarm subscribers: a placeholder unless the test sets its own.
  const stageEnv = stage === 'prod' ? { MALL_ALARM_EMAILS: PROD_ALARM_EMAIL, ...env } : env;
  const built = buildApp(stageConfig(stage, stageEnv), { outdir, skipBundling: true, cfnValidation: false });
  beforeSynth(built);
  const assembly = built.app.synth();
  const templates = assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
  return { ...built, templates, merged: mergeStacks(templates) };
}
