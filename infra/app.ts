import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from './config';
import { MallStack } from './mall-stack';

export function stackName(config: StageConfig): string {
  return `ServerlessMall-${config.stage}`;
}

/** The whole CDK app for one stage; `cdk synth`, the tests and the local cloud all build it here. */
export function buildApp(
  config: StageConfig,
  options: { outdir?: string; skipBundling?: boolean } = {},
): { app: App; stack: MallStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      // Construct paths in the template, as the CDK CLI writes them: the local cloud and the
      // infrastructure tests use them to name functions and tell services apart.
      'aws:cdk:enable-path-metadata': true,
      // Template-only tests need no bundled code.
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const stack = new MallStack(app, stackName(config), config, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // cdk-nag's AwsSolutions pack: synth fails on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
