import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MethodSetting } from './api-throttle';
import { type Resource, TemplateResources } from './template-intrinsics';

/**
 * Reads the CloudFormation templates that `cdk synth` wrote, so the local cloud serves exactly
 * the routes, tables and function environments that deploy, without listing them twice.
 */

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
  /** ResponseParameters: gatewayresponse.header.<name> -> 'static' or method.request.header.<name>. */
  parameters: Record<string, string>;
}

/** An OPTIONS method with a MOCK integration (a CORS preflight): its integration response. */
export interface PreflightSpec {
  path: string;
  statusCode: number;
  /** ResponseParameters: method.response.header.<name> -> 'static value'. */
  parameters: Record<string, string>;
  /** The response mapping template (VTL), which may override headers. */
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

/** The synthesized app (cdk.out) read as one template, with the specs the local services run from. */
export class SynthesizedTemplate extends TemplateResources {
  private readonly assetDirs: Record<string, string> = {};

  constructor(assemblyDir: string, stackNames: string[], physicalIds: Record<string, string> = {}) {
    super(
      mergeStacks(stackNames.map((stackName) => ({ stackName, template: readJson(path.join(assemblyDir, `${stackName}.template.json`)) })))
        .Resources,
      physicalIds,
    );
    for (const stackName of stackNames) {
      const assets = readJson(path.join(assemblyDir, `${stackName}.assets.json`));
      for (const [hash, file] of Object.entries<any>(assets.files ?? {})) this.assetDirs[hash] = path.join(assemblyDir, file.source.path);
    }
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

  preflights(): PreflightSpec[] {
    return this.ofType('AWS::ApiGateway::Method')
      .filter(([, r]) => r.Properties?.HttpMethod === 'OPTIONS')
      .map(([logicalId, r]) => {
        const p = r.Properties!;
        const response = p.Integration?.IntegrationResponses?.[0];
        if (p.Integration?.Type !== 'MOCK' || !response) throw new Error(`OPTIONS method ${logicalId}: only MOCK preflights are emulated`);
        return {
          path: this.resourcePath(p.ResourceId),
          statusCode: Number(response.StatusCode ?? 200),
          parameters: response.ResponseParameters ?? {},
          template: response.ResponseTemplates?.['application/json'],
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
            parameters: p.ResponseParameters ?? {},
          },
        ];
      }),
    );
  }

  /** The stage's method settings (throttling per method, and the stage's default). */
  methodSettings(): MethodSetting[] {
    return this.ofType('AWS::ApiGateway::Stage')[0]?.[1].Properties?.MethodSettings ?? [];
  }

  stageName(): string {
    const stage = this.ofType('AWS::ApiGateway::Stage')[0];
    return stage?.[1].Properties?.StageName ?? 'local';
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
