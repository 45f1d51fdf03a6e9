import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Reads the CloudFormation templates that `cdk synth` wrote, so the local cloud serves exactly
 * the routes, tables and function environments that deploy, without listing them twice.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
}

export interface FunctionSpec {
  logicalId: string;
  /** The physical name: FunctionName when the template sets it, as Lambda would. */
  functionName: string;
  /** Construct path, e.g. ServerlessMall-local/Users/Login: handy in logs. */
  name: string;
  /** Absolute path of the bundled entry (index.mjs) inside cdk.out. */
  entry: string;
  handlerExport: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
}

export interface TableSpec {
  logicalId: string;
  name: string;
  properties: Record<string, any>;
}

export interface RouteSpec {
  method: string;
  /** e.g. /api/user/login or /api/order/{id} */
  path: string;
  functionId: string;
  authorizerId: string | undefined;
}

export interface AuthorizerSpec {
  logicalId: string;
  functionId: string;
  /** The header named by the identity source, lower-cased. */
  header: string;
  cacheTtlSeconds: number;
}

export interface GatewayResponseSpec {
  statusCode: number | undefined;
  template: string | undefined;
}

/**
 * The app's stacks as one template, as CloudFormation sees them once all are deployed: every
 * stack's resources (logical ids must not repeat across stacks), and each `Fn::ImportValue`
 * replaced by the value its exporting stack gives, so references read as within one template.
 */
export function mergeStacks(stacks: Array<{ stackName: string; template: any }>): { Resources: Record<string, Resource> } {
  const resources: Record<string, Resource> = {};
  const exports = new Map<string, unknown>();
  for (const { stackName, template } of stacks) {
    for (const [id, resource] of Object.entries<Resource>(template.Resources ?? {})) {
      if (resource.Type === 'AWS::CDK::Metadata') continue;
      if (resources[id]) throw new Error(`logical id ${id} of ${stackName} is also in another stack`);
      resources[id] = resource;
    }
    for (const output of Object.values<any>(template.Outputs ?? {})) {
      if (output.Export?.Name) exports.set(output.Export.Name, output.Value);
    }
  }
  const inline = (value: any): any => {
    if (Array.isArray(value)) return value.map(inline);
    if (value === null || typeof value !== 'object') return value;
    if ('Fn::ImportValue' in value) {
      const name = value['Fn::ImportValue'];
      if (!exports.has(name)) throw new Error(`no stack exports ${name}`);
      return inline(exports.get(name));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v)]));
  };
  return { Resources: inline(resources) };
}

export class SynthesizedTemplate {
  readonly resources: Record<string, Resource>;
  private readonly assetDirs: Record<string, string> = {};

  constructor(
    assemblyDir: string,
    stackNames: string[],
    /** Physical values the local cloud chose for some resources, e.g. a secret's ARN. */
    private readonly physicalIds: Record<string, string> = {},
  ) {
    this.resources = mergeStacks(
      stackNames.map((stackName) => ({ stackName, template: readJson(path.join(assemblyDir, `${stackName}.template.json`)) })),
    ).Resources;
    for (const stackName of stackNames) {
      const assets = readJson(path.join(assemblyDir, `${stackName}.assets.json`));
      for (const [hash, file] of Object.entries<any>(assets.files ?? {})) this.assetDirs[hash] = path.join(assemblyDir, file.source.path);
    }
  }

  ofType(type: string): Array<[string, Resource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  tables(): TableSpec[] {
    return this.ofType('AWS::DynamoDB::Table').map(([logicalId, r]) => ({
      logicalId,
      name: this.ref(logicalId),
      properties: r.Properties ?? {},
    }));
  }

  functions(): FunctionSpec[] {
    return this.ofType('AWS::Lambda::Function').map(([logicalId, r]) => {
      const p = r.Properties ?? {};
      const hash = String(p.Code?.S3Key ?? '').replace(/\.zip$/, '');
      const dir = this.assetDirs[hash];
      if (!dir) throw new Error(`function ${logicalId}: no bundled asset for ${p.Code?.S3Key}`);
      const [file, handlerExport] = splitHandler(String(p.Handler));
      const entry = ['.mjs', '.js', '.cjs'].map((ext) => path.join(dir, file + ext)).find((f) => fs.existsSync(f));
      if (!entry) throw new Error(`function ${logicalId}: no ${file}.mjs/.js in ${dir}`);
      const variables = this.resolve(p.Environment?.Variables ?? {}) as Record<string, string>;
      return {
        logicalId,
        functionName: this.ref(logicalId),
        name: String(r.Metadata?.['aws:cdk:path'] ?? logicalId).replace(/\/Resource$/, ''),
        entry,
        handlerExport,
        environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
        timeoutSeconds: p.Timeout ?? 3,
        memoryMb: p.MemorySize ?? 128,
      };
    });
  }

  routes(): RouteSpec[] {
    return this.ofType('AWS::ApiGateway::Method')
      .filter(([, r]) => r.Properties?.HttpMethod !== 'OPTIONS')
      .map(([, r]) => {
        const p = r.Properties!;
        return {
          method: p.HttpMethod,
          path: this.resourcePath(p.ResourceId),
          functionId: this.integrationFunction(p.Integration),
          authorizerId: p.AuthorizationType === 'CUSTOM' ? p.AuthorizerId?.Ref : undefined,
        };
      });
  }

  authorizers(): AuthorizerSpec[] {
    return this.ofType('AWS::ApiGateway::Authorizer').map(([logicalId, r]) => {
      const p = r.Properties!;
      if (p.Type !== 'TOKEN') throw new Error(`authorizer ${logicalId}: only TOKEN authorizers are emulated`);
      const header = /^method\.request\.header\.(.+)$/.exec(p.IdentitySource)?.[1];
      if (!header) throw new Error(`authorizer ${logicalId}: unsupported identity source ${p.IdentitySource}`);
      return {
        logicalId,
        functionId: this.integrationFunction({ Uri: p.AuthorizerUri }),
        header: header.toLowerCase(),
        cacheTtlSeconds: p.AuthorizerResultTtlInSeconds ?? 300,
      };
    });
  }

  gatewayResponses(): Record<string, GatewayResponseSpec> {
    return Object.fromEntries(
      this.ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => {
        const p = r.Properties!;
        return [
          p.ResponseType,
          {
            statusCode: p.StatusCode ? Number(p.StatusCode) : undefined,
            template: p.ResponseTemplates?.['application/json'],
          },
        ];
      }),
    );
  }

  stageName(): string {
    const stage = this.ofType('AWS::ApiGateway::Stage')[0];
    return stage?.[1].Properties?.StageName ?? 'local';
  }

  /** Resolves the intrinsic functions the mall's templates use to local values. */
  resolve(value: any): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(arg);
        case 'Fn::GetAtt':
          return this.getAtt(...((Array.isArray(arg) ? arg : String(arg).split('.')) as [string, string]));
        case 'Fn::Join': {
          const [separator, parts] = arg;
          return (this.resolve(parts) as Json[]).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg;
          return (this.resolve(list) as Json[])[Number(this.resolve(index))] ?? null;
        }
        case 'Fn::Split': {
          const [separator, source] = arg;
          return String(this.resolve(source)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(this.resolve(vars[name]));
            const [id, attr] = name.split('.') as [string, string | undefined];
            return String(attr ? this.getAtt(id, attr) : this.ref(id));
          });
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  ref(logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'local';
    }
    if (this.physicalIds[logicalId]) return this.physicalIds[logicalId]!;
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`Ref to unknown resource ${logicalId}`);
    if (resource.Type === 'AWS::SecretsManager::Secret') {
      return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${logicalId}`;
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${this.nameOf(logicalId) ?? logicalId}`;
    }
    // A name the template gives (FunctionName, TableName...), as CloudFormation would use;
    // otherwise the logical id is a fine, stable local name.
    return this.nameOf(logicalId) ?? logicalId;
  }

  /** The physical name a resource's template sets, if any. */
  private nameOf(logicalId: string): string | undefined {
    const p = this.resources[logicalId]?.Properties ?? {};
    const name = p.FunctionName ?? p.TableName ?? p.StateMachineName ?? p.QueueName;
    return name === undefined ? undefined : String(this.resolve(name));
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`GetAtt on unknown resource ${logicalId}`);
    const name = this.ref(logicalId);
    if (attribute === 'Arn') {
      const arn = (service: string, resourcePart: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resourcePart}`;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table':
          return arn('dynamodb', `table/${name}`);
        case 'AWS::Lambda::Function':
          return arn('lambda', `function:${name}`);
        case 'AWS::Events::EventBus':
          return arn('events', `event-bus/${name}`);
        case 'AWS::Events::Rule':
          return arn('events', `rule/${name}`);
        case 'AWS::SQS::Queue':
          return arn('sqs', name);
        case 'AWS::Logs::LogGroup':
          return arn('logs', `log-group:${name}:*`);
        case 'AWS::StepFunctions::StateMachine':
        case 'AWS::SecretsManager::Secret':
          return name;
      }
    }
    if (resource.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return `${logicalId}-root`;
    return `${name}.${attribute}`;
  }

  private resourcePath(resourceId: any): string {
    const parts: string[] = [];
    let current = resourceId;
    while (current?.Ref) {
      const resource = this.resources[current.Ref];
      if (resource?.Type !== 'AWS::ApiGateway::Resource') break;
      parts.unshift(resource.Properties!.PathPart);
      current = resource.Properties!.ParentId;
    }
    return '/' + parts.join('/');
  }

  /** The function behind a Lambda proxy integration URI (…/functions/<arn>/invocations). */
  private integrationFunction(integration: any): string {
    const found = JSON.stringify(integration ?? {}).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/);
    const logicalId = found?.[1];
    if (!logicalId || this.resources[logicalId]?.Type !== 'AWS::Lambda::Function') {
      throw new Error(`integration is not a Lambda proxy integration: ${JSON.stringify(integration)}`);
    }
    return logicalId;
  }
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
