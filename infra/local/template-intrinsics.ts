/**
 * A CloudFormation template's resources as the local cloud sees them deployed: references and
 * the intrinsic functions the mall's templates use resolve to local names and ARNs, in one
 * local account and region.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
}

export class TemplateResources {
  constructor(
    readonly resources: Record<string, Resource>,
    /** Physical values the local cloud chose for some resources, e.g. a secret's ARN. */
    private readonly physicalIds: Record<string, string> = {},
  ) {}

  ofType(type: string): Array<[string, Resource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
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
  protected nameOf(logicalId: string): string | undefined {
    const p = this.resources[logicalId]?.Properties ?? {};
    const name = p.FunctionName ?? p.TableName ?? p.StateMachineName ?? p.QueueName;
    return name === undefined ? undefined : String(this.resolve(name));
  }

  protected getAtt(logicalId: string, attribute: string): string {
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
}
