import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from './config';
import { MallStack } from './mall-stack';

export function stackName(config: StageConfig): string {
  return `ServerlessMall-${config.stage}`;
}

/** The whole CDK app for one stage; `cdk synth`, the tests and the local cloud all build it here. */
export function buildApp(config: StageConfig, outdir?: string): { app: App; stack: MallStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new MallStack(app, stackName(config), config, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // cdk-nag's AwsSolutions pack: synth fails on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
