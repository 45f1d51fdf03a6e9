import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { LocalLambdas } from './lambda-runtime';
import { type CorrelationKey, LocalTelemetry } from './telemetry';
import {
  type AuthorizerSpec,
  type GatewayResponseSpec,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type RouteSpec,
  type SynthesizedTemplate,
} from './template';

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

/** API Gateway's own answers when no gateway response in the template overrides them. */
const DEFAULT_STATUS: Record<string, number> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  API_CONFIGURATION_ERROR: 500,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  DEFAULT_5XX: 502,
};

interface Policy {
  principalId: string;
  allowed: (methodArn: string) => boolean;
  context: Record<string, string>;
}

interface CompiledRoute extends RouteSpec {
  pattern: RegExp;
  params: string[];
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
  ms: number;
}

/**
 * A local REST API stage built from the template: routes, Lambda proxy integrations, the TOKEN
 * authorizer with API Gateway's 401/403 semantics and per-token result cache, and the
 * template's gateway responses.
 */
export class LocalRestApi {
  readonly apiId: string;
  readonly stage: string;
  private readonly routes: CompiledRoute[];
  private readonly authorizers: Map<string, AuthorizerSpec>;
  private readonly responses: Record<string, GatewayResponseSpec>;
  private readonly cache = new Map<string, { policy: Policy; expires: number }>();

  constructor(
    template: SynthesizedTemplate,
    private readonly lambdas: LocalLambdas,
    private readonly telemetry: LocalTelemetry,
    private readonly onRequest: (entry: RequestLog) => void = () => {},
  ) {
    const [restApiId] = template.ofType('AWS::ApiGateway::RestApi').map(([id]) => id);
    this.apiId = template.ref(restApiId ?? 'local');
    this.stage = template.stageName();
    this.routes = template.routes().map(compile);
    this.authorizers = new Map(template.authorizers().map((a) => [a.logicalId, a]));
    this.responses = template.gatewayResponses();
  }

  /** API Gateway's management API: FlushStageAuthorizersCache forgets every cached authorizer decision. */
  serve(endpoint: LocalAwsEndpoint): void {
    endpoint.onRest('DELETE', /^\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/authorizers$/, async (match) => {
      if (match[1] !== this.apiId || match[2] !== this.stage)
        throw new AwsServiceError('NotFoundException', 'Invalid stage identifier specified', 404);
      this.cache.clear();
      return { status: 202 };
    });
  }

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const traceId = LocalTelemetry.newTraceId();
    let status = 500;
    let key: CorrelationKey | undefined;
    try {
      const answer = await this.answer(req, method, url, traceId);
      status = answer.statusCode;
      key = this.telemetry.keyOfApiExchange({ method, path: url.pathname, status, body: answer.body });
      res.writeHead(answer.statusCode, answer.headers);
      res.end(answer.body);
    } catch (error) {
      status = 500;
      console.error('local API gateway failed', error);
      const answer = this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
      res.writeHead(answer.statusCode, answer.headers).end(answer.body);
    } finally {
      const ms = Date.now() - started;
      this.onRequest({ method, path: url.pathname, status, ms });
      this.telemetry.record({
        traceId,
        kind: 'api',
        name: `${method} ${url.pathname}`,
        start: started,
        ms,
        ok: status < 500,
        detail: String(status),
        ...(key !== undefined ? { key } : {}),
      });
    }
  };

  private async answer(req: IncomingMessage, method: string, url: URL, traceId: string): Promise<HttpAnswer> {
    const match = this.match(method, url.pathname);
    if (!match) {
      await drain(req);
      return this.gatewayResponse('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    }
    const body = await readBody(req);
    if (body === undefined) return this.gatewayResponse('REQUEST_TOO_LARGE', 'Request Too Long');

    const requestId = randomUUID();
    const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${this.apiId}/${this.stage}/${method}${url.pathname}`;
    let authorizerContext: Record<string, string> | undefined;
    if (match.route.authorizerId) {
      const decision = await this.authorize(
        match.route.authorizerId,
        headerValue(req, this.authorizers.get(match.route.authorizerId)?.header),
        methodArn,
        traceId,
      );
      if ('refusal' in decision) return decision.refusal;
      authorizerContext = { principalId: decision.policy.principalId, ...decision.policy.context };
    }

    const event = {
      resource: match.route.path,
      path: url.pathname,
      httpMethod: method,
      headers: singleHeaders(req),
      multiValueHeaders: multiHeaders(req),
      queryStringParameters: url.searchParams.size ? Object.fromEntries(url.searchParams) : null,
      multiValueQueryStringParameters: url.searchParams.size ? groupParams(url.searchParams) : null,
      pathParameters: Object.keys(match.params).length ? match.params : null,
      stageVariables: null,
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: this.apiId,
        stage: this.stage,
        requestId,
        resourcePath: match.route.path,
        httpMethod: method,
        path: `/${this.stage}${url.pathname}`,
        requestTimeEpoch: Date.now(),
        identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? null },
        ...(authorizerContext ? { authorizer: authorizerContext } : {}),
      },
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
    };
    const outcome = await this.lambdas.invoke(match.route.functionId, event, traceId, {
      service: 'apigateway.amazonaws.com',
      sourceArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${this.apiId}/${this.stage}/${method}${match.route.path}`,
    });
    if (!outcome.ok) {
      console.error(`${this.lambdas.name(match.route.functionId)} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      // No permission to invoke the function is a configuration error (500); a failed function, 502.
      return this.gatewayResponse(
        outcome.error.errorType === 'AccessDeniedException' ? 'API_CONFIGURATION_ERROR' : 'DEFAULT_5XX',
        'Internal server error',
      );
    }
    return proxyResponse(outcome.result) ?? this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
  }

  private async authorize(
    authorizerId: string,
    token: string | undefined,
    methodArn: string,
    traceId: string,
  ): Promise<{ policy: Policy } | { refusal: HttpAnswer }> {
    const authorizer = this.authorizers.get(authorizerId);
    if (!authorizer) throw new Error(`route refers to unknown authorizer ${authorizerId}`);
    // No identity source: API Gateway answers 401 without calling the authorizer.
    if (!token) return { refusal: this.gatewayResponse('UNAUTHORIZED', 'Unauthorized') };

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
          ? { refusal: this.gatewayResponse('UNAUTHORIZED', 'Unauthorized') }
          : { refusal: this.gatewayResponse('AUTHORIZER_FAILURE', 'Authorizer error') };
      }
      policy = parsePolicy(outcome.result);
      if (!policy) return { refusal: this.gatewayResponse('AUTHORIZER_CONFIGURATION_ERROR', 'Authorizer error') };
      if (authorizer.cacheTtlSeconds > 0) {
        this.cache.set(cacheKey, { policy, expires: Date.now() + authorizer.cacheTtlSeconds * 1000 });
      }
    }
    if (!policy.allowed(methodArn)) {
      return { refusal: this.gatewayResponse('ACCESS_DENIED', 'User is not authorized to access this resource with an explicit deny') };
    }
    return { policy };
  }

  private match(method: string, pathname: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const found = route.pattern.exec(pathname);
      if (found) {
        const params = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
        return { route, params };
      }
    }
    return undefined;
  }

  private gatewayResponse(type: string, message: string): HttpAnswer {
    const status = DEFAULT_STATUS[type] ?? 500;
    const family = status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const spec = this.responses[type] ?? this.responses[family];
    const statusCode = this.responses[type]?.statusCode ?? status;
    const body = spec?.template
      ? spec.template.replaceAll('$context.error.messageString', JSON.stringify(message)).replaceAll('$context.error.message', message)
      : JSON.stringify({ message });
    return { statusCode, headers: { 'content-type': 'application/json' }, body };
  }
}

interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

function compile(route: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      const param = /^\{(.+?)(\+)?\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), params };
}

function parsePolicy(result: any): Policy | undefined {
  const statements = result?.policyDocument?.Statement;
  if (typeof result?.principalId !== 'string' || !Array.isArray(statements)) return undefined;
  const matches = (effect: string, arn: string) =>
    statements.some((s: any) => {
      if (s.Effect !== effect) return false;
      const actions = [s.Action].flat();
      if (!actions.some((a: string) => a === '*' || a === 'execute-api:*' || a === 'execute-api:Invoke')) return false;
      return [s.Resource].flat().some((pattern: string) => wildcard(pattern).test(arn));
    });
  const context = Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    principalId: result.principalId,
    context,
    allowed: (arn) => !matches('Deny', arn) && matches('Allow', arn),
  };
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

function proxyResponse(result: any): HttpAnswer | undefined {
  if (!result || typeof result !== 'object' || !Number.isInteger(result.statusCode)) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries<any>(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries<any>(result.multiValueHeaders ?? {})) headers[k.toLowerCase()] = (v as unknown[]).map(String);
  const raw = result.body ?? '';
  const body = result.isBase64Encoded ? Buffer.from(String(raw), 'base64') : String(raw);
  return { statusCode: result.statusCode, headers, body };
}

function headerValue(req: IncomingMessage, name: string | undefined): string | undefined {
  const value = name ? req.headers[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length > 0 ? first : undefined;
}

function singleHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) out[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
  return out;
}

function multiHeaders(req: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    out[name] = [...(out[name] ?? []), req.rawHeaders[i + 1]!];
  }
  return out;
}

function groupParams(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of params) out[k] = [...(out[k] ?? []), v];
  return out;
}

/** The request body, or undefined when it is larger than API Gateway accepts. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      await drain(req);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}
