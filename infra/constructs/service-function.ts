import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { withContentHash } from './bundle-cache';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const METRICS_NAMESPACE = 'ServerlessMall';

/**
 * How every function is bundled. test/bench/cold.ts bundles with exactly these options, so the
 * sizes and init times it prints are the deployed ones.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Bundling the SDK loads faster than the runtime's copy and pins the version we test.
  externalModules: [] as string[],
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} satisfies BundlingOptions;

/** The environment every function of `service` starts with (test/bench/cold.ts starts its bundles with it too). */
export function functionEnvironment(service: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // INFO normally; debug logs for a sampled 1% of invocations.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_LOGGER_SAMPLE_RATE: '0.01',
    // No --enable-source-maps: it parses the bundle's map on every cold start. The map stays in
    // the asset, and the logger maps an error's stack when it writes one (shared/stack-trace.ts).
    // Powertools records every handler's response in X-Ray by default: login's token, a
    // user's mobile. X-Ray is readable with read-only access to the account; keep them out.
    POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  };
}

export interface ServiceFunctionProps {
  /** The folder under functions/, and the Powertools service name. */
  service: string;
  /** The handler file, functions/<service>/<handler>.ts, exporting `handler`: "api/create", "saga/open-order". */
  handler: string;
  config: StageConfig;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

/**
 * A function's name: serverless-mall-<stage>-<service>-<file name>. Known before deploy, so the
 * dashboard and saved queries in another stack name functions and log groups without a
 * cross-stack export that would pin every function in place.
 */
export function functionNameOf(config: StageConfig, service: string, handler: string): string {
  const name = `serverless-mall-${config.stage}-${service}-${path.basename(handler)}`;
  if (name.length > 64 || !/^[a-zA-Z0-9-_]+$/.test(name))
    throw new Error(`function name ${name} is not a valid Lambda name (64 characters at most)`);
  return name;
}

/**
 * A Lambda function with the mall's defaults: Node.js 22 on arm64, bundled by esbuild as ESM
 * with the AWS SDK inside, X-Ray tracing, its own log group with retention, and a role that
 * can write only to that log group until grants add more.
 */
export class ServiceFunction extends NodejsFunction {
  /** The function's name as a plain string (functionName is a token). */
  readonly literalName: string;
  /** Its handler file, functions/<entryPoint>.ts, as infra/routes.ts names it: "order/api/create". */
  readonly entryPoint: string;

  /**
   * Least-privilege table access: exactly these DynamoDB actions, on the table and only on the
   * named indexes (never `index/*`).
   */
  grantTable(table: dynamodb.ITable, actions: string[], indexes: string[] = []): void {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
      }),
    );
  }

  /**
   * `fn` as seen from `scope`'s stack: itself in its own stack; elsewhere, by its literal ARN.
   * Stateless stacks name each other's functions instead of exporting them, so a function can
   * be replaced or removed without first removing every import of it.
   */
  static referenceIn(scope: Construct, fn: ServiceFunction): lambda.IFunction {
    const stack = Stack.of(scope);
    if (Stack.of(fn) === stack) return fn;
    const functionArn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: fn.literalName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    return lambda.Function.fromFunctionAttributes(scope, `${fn.node.id}Ref`, { functionArn, sameEnvironment: true });
  }

  /** May invoke exactly that function (its unqualified ARN), as one service asks another. */
  grantInvokeOf(target: ServiceFunction): void {
    const { functionArn } = ServiceFunction.referenceIn(this, target);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }));
  }

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const functionName = functionNameOf(props.config, props.service, props.handler);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.config.logRetentionDays,
      removalPolicy: props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service}/${props.handler} function`,
    });
    logGroup.grantWrite(role);

    const entry = path.join(root, 'functions', props.service, `${props.handler}.ts`);
    super(scope, id, {
      functionName,
      entry,
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: path.join(root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: { ...functionEnvironment(props.service), ...props.environment },
      // In the local cloud, keyed by the content of every input, so unchanged bundles are reused.
      bundling: withContentHash(scope, entry, FUNCTION_BUNDLING),
    });

    this.literalName = functionName;
    this.entryPoint = `${props.service}/${props.handler}`;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the mission fixes for every function; code is also run locally on Node 20.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
    });
  }
}

/**
 * A factory for one service's functions, sharing its name, stage config and environment:
 * `fn('api/login', { memorySize: 1024 })` makes functions/<service>/api/login.ts as construct
 * "Login": the construct is named after the file, the folder says what triggers it.
 */
export function functionFactory(scope: Construct, service: string, config: StageConfig, environment: Record<string, string>) {
  return (handler: string, options: { environment?: Record<string, string>; memorySize?: number; timeout?: Duration } = {}) =>
    new ServiceFunction(
      scope,
      path.basename(handler).replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
      {
        service,
        handler,
        config,
        memorySize: options.memorySize,
        ...(options.timeout ? { timeout: options.timeout } : {}),
        environment: { ...environment, ...options.environment },
      },
    );
}

/**
 * An ARN of `stack` as cdk-nag writes it in a finding: the partition as a token, the region and
 * account as literals when the CDK CLI set them (CDK_DEFAULT_REGION, CDK_DEFAULT_ACCOUNT) and as
 * tokens otherwise. Acknowledgements built from it match in tests and in `cdk synth` alike.
 */
export function nagArn(stack: Stack, service: string, resource: string): string {
  const part = (value: string, token: string) => (Token.isUnresolved(value) ? `<AWS::${token}>` : value);
  return `arn:<AWS::Partition>:${service}:${part(stack.region, 'Region')}:${part(stack.account, 'AccountId')}:${resource}`;
}
