import { createHash } from 'node:crypto';
import type { AwsCall } from './aws-call';
import type { SynthesizedTemplate } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

/** A policy statement as the template writes it, with references resolved to local ARNs. */
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface Principal {
  /** The role's name in the assumed-role ARN AWS puts in its messages. */
  roleName: string;
  sessionName: string;
  statements: Statement[];
}

/** A resource-based permission on a function (AWS::Lambda::Permission). */
interface Permission {
  principal: string;
  sourceArn: string | undefined;
  sourceAccount: string | undefined;
}

export class AccessDenied extends Error {
  override readonly name = 'AccessDeniedException';
}

/**
 * IAM, as the templates write it. Every function calls AWS with credentials of its own (an
 * access key the local cloud gives it), and every call is checked against that function's
 * execution role: identity policies, Allow and Deny (an explicit Deny wins), wildcards in
 * actions and resources, NotAction/NotResource, and the condition operators the templates use.
 * Invocations are checked against the function's resource policy (AWS::Lambda::Permission) or,
 * for Step Functions, the state machine's role. Credentials the local cloud did not hand out
 * (the tests, a developer's CLI) act as an administrator, as the developer's own would.
 */
export class LocalIam {
  private readonly byAccessKey = new Map<string, Principal>();
  private readonly accessKeys = new Map<string, string>();
  private readonly permissions = new Map<string, Permission[]>();
  private readonly roles = new Map<string, Principal>();

  constructor(private readonly template: SynthesizedTemplate) {
    const policiesOf = (roleId: string): Statement[] => {
      const role = template.resources[roleId];
      const inline = (role?.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
      const attached = template
        .ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties?.Roles ?? []).some((r: any) => r?.Ref === roleId))
        .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
      if (role?.Properties?.ManagedPolicyArns?.length) throw new Error(`role ${roleId}: managed policies are not modelled locally`);
      const statements = template.resolve([...inline, ...attached]) as unknown as Statement[];
      const conditional = statements.find((st) => st.Condition);
      if (conditional)
        throw new Error(`role ${roleId} has a condition (${JSON.stringify(conditional.Condition)}) the local cloud does not model yet`);
      return statements;
    };
    const roleIdOf = (arn: any) => (arn?.['Fn::GetAtt'] ? String(arn['Fn::GetAtt'][0]) : undefined);

    for (const fn of template.functions()) {
      const roleId = roleIdOf(template.resources[fn.logicalId]!.Properties!.Role);
      if (!roleId) throw new Error(`function ${fn.logicalId}: role is not a role of the template`);
      const principal = { roleName: roleId, sessionName: fn.functionName, statements: policiesOf(roleId) };
      const accessKey = `ASIALOCAL${createHash('sha256').update(fn.functionName).digest('hex').slice(0, 11).toUpperCase()}`;
      this.byAccessKey.set(accessKey, principal);
      this.accessKeys.set(fn.functionName, accessKey);
    }
    for (const [id, machine] of template.ofType('AWS::StepFunctions::StateMachine')) {
      const roleId = roleIdOf(machine.Properties?.RoleArn);
      if (roleId) this.roles.set(template.ref(id), { roleName: roleId, sessionName: 'StepFunctions', statements: policiesOf(roleId) });
    }
    for (const [, permission] of template.ofType('AWS::Lambda::Permission')) {
      const p = template.resolve(permission.Properties) as Record<string, string>;
      if (p.Action !== 'lambda:InvokeFunction') continue;
      const name = String(p.FunctionName).split(':function:').pop()!.split(':')[0]!;
      this.permissions.set(name, [
        ...(this.permissions.get(name) ?? []),
        { principal: p.Principal!, sourceArn: p.SourceArn, sourceAccount: p.SourceAccount },
      ]);
    }
  }

  /** The access key a function's environment gets. */
  accessKeyOf(functionName: string): string {
    return this.accessKeys.get(functionName)!;
  }

  /**
   * Throws AWS's AccessDeniedException unless the caller (by its access key) may perform
   * `action` on every one of `resources`.
   */
  authorize(accessKey: string | undefined, action: string, resources: string[]): void {
    const principal = accessKey ? this.byAccessKey.get(accessKey) : undefined;
    if (!principal) return;
    for (const resource of resources) this.check(principal, action, resource);
  }

  /**
   * Whether `source` may invoke the function: a service principal through the function's
   * permissions (with the source ARN and account they name), or a state machine through its
   * role. Answers why not, or undefined when allowed.
   */
  invocationDenied(functionName: string, source: { service: string; sourceArn: string } | { stateMachineArn: string }): string | undefined {
    const functionArn = this.template.resolve({
      'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionName}`,
    }) as string;
    if ('stateMachineArn' in source) {
      const role = this.roles.get(source.stateMachineArn);
      if (!role) return `state machine ${source.stateMachineArn} has no role in the template`;
      try {
        this.check(role, 'lambda:InvokeFunction', functionArn);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    }
    const allowed = (this.permissions.get(functionName) ?? []).some(
      (p) =>
        p.principal === source.service &&
        (p.sourceArn === undefined || wildcardMatch(p.sourceArn, source.sourceArn, true)) &&
        (p.sourceAccount === undefined || p.sourceAccount === LOCAL_ACCOUNT),
    );
    return allowed
      ? undefined
      : `${source.service} (source ${source.sourceArn}) is not allowed to invoke ${functionArn}: no resource-based policy of the function allows it`;
  }

  private check(principal: Principal, action: string, resource: string): void {
    const decision = decide(principal.statements, action, resource);
    if (decision === 'allow') return;
    const deny = decision === 'explicit deny';
    const who = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${principal.roleName}/${principal.sessionName}`;
    throw new AccessDenied(
      `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because ${deny ? 'an explicit deny in an identity-based policy denies' : 'no identity-based policy allows'} the ${action} action`,
    );
  }
}

/** IAM's evaluation within one account's identity policies: an explicit Deny wins over any Allow. */
export function decide(statements: Statement[], action: string, resource: string): 'allow' | 'explicit deny' | 'implicit deny' {
  const applicable = statements.filter((s) => statementMatches(s, action, resource));
  if (applicable.some((s) => s.Effect === 'Deny')) return 'explicit deny';
  return applicable.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit deny';
}

function statementMatches(s: Statement, action: string, resource: string): boolean {
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : [v].flat());
  const actions = list(s.Action);
  const notActions = list(s.NotAction);
  const actionOk = actions
    ? actions.some((a) => wildcardMatch(a, action, false))
    : !!notActions && !notActions.some((a) => wildcardMatch(a, action, false));
  if (!actionOk) return false;
  const resources = list(s.Resource);
  const notResources = list(s.NotResource);
  const resourceOk = resources
    ? resources.some((r) => wildcardMatch(r, resource, true))
    : !!notResources && !notResources.some((r) => wildcardMatch(r, resource, true));
  return resourceOk;
}

/**
 * What IAM checks for a call to the local AWS endpoint: its action and resources. Calls the
 * functions never make (test hooks, the console) need no permission.
 */
export function endpointPermissions(call: AwsCall): Array<[string, string[]]> {
  const arn = (service: string, resource: string, region = LOCAL_REGION) => `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${resource}`;
  const { target, body } = call;
  if (target?.startsWith('AWSStepFunctions.')) {
    const operation = target.split('.')[1]!;
    return [[`states:${operation}`, [body.executionArn ?? body.stateMachineArn ?? '*']]];
  }
  if (target === 'AWSEvents.PutEvents') {
    const buses = (body.Entries ?? []).map((e: { EventBusName?: string }) => e.EventBusName ?? 'default');
    return [['events:PutEvents', buses.map((b: string) => (b.startsWith('arn:') ? b : arn('events', `event-bus/${b}`)))]];
  }
  if (target?.startsWith('secretsmanager.')) {
    const id = String(body.SecretId ?? '*');
    return [[`secretsmanager:${target.split('.')[1]}`, [id.startsWith('arn:') || id === '*' ? id : arn('secretsmanager', `secret:${id}`)]]];
  }
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(call.path);
  if (invoke) {
    const name = decodeURIComponent(invoke[1]!);
    return [['lambda:InvokeFunction', [name.startsWith('arn:') ? name : arn('lambda', `function:${name}`)]]];
  }
  if (call.path.startsWith('/restapis/')) return [[`apigateway:${call.method}`, [`arn:aws:apigateway:${LOCAL_REGION}::${call.path}`]]];
  return [];
}

/** IAM's wildcards: `*` any run of characters, `?` one. Actions match case-insensitively. */
export function wildcardMatch(pattern: string, value: string, caseSensitive: boolean): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, caseSensitive ? '' : 'i').test(value);
}
