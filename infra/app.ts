import { Annotations, App, type IPolicyValidationPlugin, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type StageConfig, StageConfigError } from './config';
import type { MallApi } from './constructs/mall-api';
import { CatalogStack } from './stacks/catalog-stack';
import { DataStack } from './stacks/data-stack';
import { OpsStack } from './stacks/ops-stack';
import { OrdersStack } from './stacks/orders-stack';
import { UsersStack } from './stacks/users-stack';

/** CloudFormation allows 500 resources a stack; the mall keeps each stack under half of it, to grow. */
export const STACK_RESOURCE_BUDGET = 250;

/** ServerlessMall-<stage>-<part>, e.g. ServerlessMall-dev-Orders. */
export function stackPrefix(config: StageConfig): string {
  return `ServerlessMall-${config.stage}`;
}

export interface MallApp {
  app: App;
  /** In deploy order: Data, Users, Catalog, Orders, Ops. */
  stacks: Stack[];
  api: MallApi;
}

/**
 * The whole CDK app for one stage; `cdk synth`, the tests and the local cloud all build it here.
 * Data holds every table, the bus and the secrets; the other stacks hold only what can be
 * redeployed or replaced at any time. References between stacks go one way, in this order.
 */
export function buildApp(
  config: StageConfig,
  options: {
    outdir?: string;
    skipBundling?: boolean;
    plugins?: IPolicyValidationPlugin[];
    context?: Record<string, unknown>;
    /** CDK's built-in CloudFormation validation (warnings only; seconds per synth): off in the local cloud and the tests. */
    cfnValidation?: boolean;
  } = {},
): MallApp {
  // Before any construct: a refused synth should not bundle every function first.
  const noAlarmEmails = `stage "${config.stage}" has no alarm subscribers: set MALL_ALARM_EMAILS (comma-separated email addresses)`;
  if (config.alarmEmails.length === 0 && config.alarmEmailsRequired) throw new StageConfigError(noAlarmEmails);
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.cfnValidation ?? true,
    context: {
      // Construct paths in the template, as the CDK CLI writes them: the local cloud and the
      // infrastructure tests use them to name functions and tell services apart.
      'aws:cdk:enable-path-metadata': true,
      // Imports of the data stack's tables, bus and secrets are CloudFormation exports: the data
      // stack cannot drop one while a stateless stack still uses it.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      // Template-only tests need no bundled code.
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      // The local cloud's bundle cache (mall:bundle-cache, see constructs/bundle-cache.ts).
      ...options.context,
    },
  });
  const props = { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } };
  const name = (part: string) => `${stackPrefix(config)}-${part}`;
  const data = new DataStack(app, name('Data'), config, { ...props, terminationProtection: config.retainData });
  const users = new UsersStack(app, name('Users'), config, data, props);
  const catalog = new CatalogStack(app, name('Catalog'), config, { api: users.api, data }, props);
  const orders = new OrdersStack(app, name('Orders'), config, { api: users.api, data, catalog, users }, props);
  // The saga and the order API call catalogue functions by name, which makes no reference.
  orders.addStackDependency(catalog, 'the order saga and the order API invoke catalogue functions');
  const ops = new OpsStack(app, name('Ops'), config, { api: users.api, events: data.events }, props);
  // The dashboard and alarms name functions, queues and the saga of every stack.
  ops.addStackDependency(orders, 'the dashboard and alarms watch every stack');
  if (config.alarmEmails.length === 0) Annotations.of(ops).addWarningV2('mall:no-alarm-emails', `${noAlarmEmails}; alarms reach nobody`);
  // cdk-nag's AwsSolutions pack: synth fails on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), ...(options.plugins ?? []));
  return { app, stacks: [data, users, catalog, orders, ops], api: users.api };
}
