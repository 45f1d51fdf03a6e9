import { wildcardMatch } from './iam';
import type { LocalLambdas } from './lambda-runtime';
import type { AuthorizerSpec } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

/** What a TOKEN authorizer's answer allows, and the context it hands the integration. */
export interface Policy {
  principalId: string;
  allowed: (methodArn: string) => boolean;
  context: Record<string, string>;
}

/** Why API Gateway refuses a request before the integration runs: a gateway response type and its message. */
export interface Refusal {
  type: 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'AUTHORIZER_FAILURE' | 'AUTHORIZER_CONFIGURATION_ERROR';
  message: string;
}

/**
 * A REST API's TOKEN authorizers with API Gateway's semantics: no token, 401 without calling
 * the authorizer; the authorizer failing with "Unauthorized", 401; any other failure, 500; a
 * policy that does not allow the method ARN, 403. Decisions are cached per token for the
 * authorizer's TTL, until FlushStageAuthorizersCache.
 */
export class TokenAuthorizers {
  private readonly byId: Map<string, AuthorizerSpec>;
  private readonly cache = new Map<string, { policy: Policy; expires: number }>();

  constructor(
    specs: AuthorizerSpec[],
    private readonly lambdas: LocalLambdas,
    private readonly apiId: string,
  ) {
    this.byId = new Map(specs.map((a) => [a.logicalId, a]));
  }

  /** The header (lower-cased) the authorizer's identity source names. */
  header(authorizerId: string): string | undefined {
    return this.byId.get(authorizerId)?.header;
  }

  /** Forgets every cached decision. */
  flush(): void {
    this.cache.clear();
  }

  async authorize(
    authorizerId: string,
    token: string | undefined,
    methodArn: string,
    traceId: string,
  ): Promise<{ policy: Policy } | { refusal: Refusal }> {
    const authorizer = this.byId.get(authorizerId);
    if (!authorizer) throw new Error(`route refers to unknown authorizer ${authorizerId}`);
    // No identity source: API Gateway answers 401 without calling the authorizer.
    if (!token) return { refusal: { type: 'UNAUTHORIZED', message: 'Unauthorized' } };

    const cacheKey = `${authorizerId}:${token}`;
    const cached = this.cache.get(cacheKey);
    let policy = cached && cached.expires > Date.now() ? cached.policy : undefined;
    if (!policy) {
      const outcome = await this.lambdas.invoke(authorizer.functionId, { type: 'TOKEN', authorizationToken: token, methodArn }, traceId, {
        service: 'apigateway.amazonaws.com',
        sourceArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${this.apiId}/authorizers/${authorizerId}`,
      });
      if (!outcome.ok) {
        return outcome.error.errorMessage === 'Unauthorized'
          ? { refusal: { type: 'UNAUTHORIZED', message: 'Unauthorized' } }
          : { refusal: { type: 'AUTHORIZER_FAILURE', message: 'Authorizer error' } };
      }
      policy = parsePolicy(outcome.result);
      if (!policy) return { refusal: { type: 'AUTHORIZER_CONFIGURATION_ERROR', message: 'Authorizer error' } };
      if (authorizer.cacheTtlSeconds > 0) {
        this.cache.set(cacheKey, { policy, expires: Date.now() + authorizer.cacheTtlSeconds * 1000 });
      }
    }
    if (!policy.allowed(methodArn)) {
      return { refusal: { type: 'ACCESS_DENIED', message: 'User is not authorized to access this resource with an explicit deny' } };
    }
    return { policy };
  }
}

/** The authorizer's answer as a policy (execute-api:Invoke statements, Deny winning), or undefined when malformed. */
function parsePolicy(result: any): Policy | undefined {
  const statements = result?.policyDocument?.Statement;
  if (typeof result?.principalId !== 'string' || !Array.isArray(statements)) return undefined;
  const matches = (effect: string, arn: string) =>
    statements.some((s: any) => {
      if (s.Effect !== effect) return false;
      const actions = [s.Action].flat();
      if (!actions.some((a: string) => a === '*' || a === 'execute-api:*' || a === 'execute-api:Invoke')) return false;
      return [s.Resource].flat().some((pattern: string) => wildcardMatch(pattern, arn, true));
    });
  const context = Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    principalId: result.principalId,
    context,
    allowed: (arn) => !matches('Deny', arn) && matches('Allow', arn),
  };
}
