import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenAuthorizers } from './api-authorizer';
import { gatewayResponseHeaders, LocalPreflights } from './api-cors';
import { drain, type HttpAnswer, headerValue, proxyEvent, proxyResponse, readBody } from './api-proxy';
import { LocalThrottle } from './api-throttle';
import { AwsServiceError, type LocalAwsEndpoint } from './aws-services';
import type { LocalLambdas } from './lambda-runtime';
import { type CorrelationKey, LocalTelemetry } from './telemetry';
import type { GatewayResponseSpec, RouteSpec, SynthesizedTemplate } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-intrinsics';

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
 * A local REST API stage built from the template: routes, Lambda proxy integrations
 * (api-proxy.ts), the TOKEN authorizer with API Gateway's 401/403 semantics and per-token
 * result cache (api-authorizer.ts), the stage's throttling per method (api-throttle.ts), CORS
 * preflights (api-cors.ts) and the template's gateway responses.
 */
export class LocalRestApi {
  readonly apiId: string;
  readonly stage: string;
  private readonly routes: CompiledRoute[];
  private readonly authorizers: TokenAuthorizers;
  private readonly responses: Record<string, GatewayResponseSpec>;
  private readonly preflights: LocalPreflights;
  private readonly throttle: LocalThrottle;

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
    this.authorizers = new TokenAuthorizers(template.authorizers(), lambdas, this.apiId);
    this.responses = template.gatewayResponses();
    this.preflights = new LocalPreflights(template.preflights());
    this.throttle = new LocalThrottle(template.methodSettings());
  }

  /** API Gateway's management API: FlushStageAuthorizersCache forgets every cached authorizer decision. */
  serve(endpoint: LocalAwsEndpoint): void {
    endpoint.onRest('DELETE', /^\/restapis\/([^/]+)\/stages\/([^/]+)\/cache\/authorizers$/, async (match) => {
      if (match[1] !== this.apiId || match[2] !== this.stage)
        throw new AwsServiceError('NotFoundException', 'Invalid stage identifier specified', 404);
      this.authorizers.flush();
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
      const answer = this.gatewayResponse('DEFAULT_5XX', 'Internal server error', req);
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
    const preflight = method === 'OPTIONS' ? this.preflights.answer(url.pathname, req) : undefined;
    if (preflight) {
      await drain(req);
      return preflight;
    }
    const match = this.match(method, url.pathname);
    if (!match) {
      await drain(req);
      return this.gatewayResponse('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', req);
    }
    if (!this.throttle.take(match.route.method, match.route.path)) {
      await drain(req);
      return this.gatewayResponse('THROTTLED', 'Too Many Requests', req);
    }
    const body = await readBody(req);
    if (body === undefined) return this.gatewayResponse('REQUEST_TOO_LARGE', 'Request Too Long', req);

    const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${this.apiId}/${this.stage}/${method}${url.pathname}`;
    let authorizerContext: Record<string, string> | undefined;
    const { authorizerId } = match.route;
    if (authorizerId) {
      const token = headerValue(req, this.authorizers.header(authorizerId));
      const decision = await this.authorizers.authorize(authorizerId, token, methodArn, traceId);
      if ('refusal' in decision) return this.gatewayResponse(decision.refusal.type, decision.refusal.message, req);
      authorizerContext = { principalId: decision.policy.principalId, ...decision.policy.context };
    }

    const event = proxyEvent(
      req,
      method,
      url,
      body,
      { apiId: this.apiId, stage: this.stage, resource: match.route.path, pathParameters: match.params },
      authorizerContext,
    );
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
        req,
      );
    }
    return proxyResponse(outcome.result) ?? this.gatewayResponse('DEFAULT_5XX', 'Internal server error', req);
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

  /**
   * A gateway response: the template's for the type (or its 4XX/5XX family), else API Gateway's
   * default, with the template's headers (CORS among them).
   */
  private gatewayResponse(type: string, message: string, req: IncomingMessage): HttpAnswer {
    const status = DEFAULT_STATUS[type] ?? 500;
    const family = status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const spec = this.responses[type] ?? this.responses[family];
    const statusCode = this.responses[type]?.statusCode ?? status;
    const body = spec?.template
      ? spec.template.replaceAll('$context.error.messageString', JSON.stringify(message)).replaceAll('$context.error.message', message)
      : JSON.stringify({ message });
    const headers = { 'content-type': 'application/json', ...gatewayResponseHeaders(spec?.parameters ?? {}, req) };
    return { statusCode, headers, body };
  }
}

/** A route's path as a pattern: {param} matches one segment, {param+} the rest of the path. */
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
