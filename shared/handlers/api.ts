import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { Caller } from '../caller';
import { requireEnv } from '../env';
import { AppError, badRequest, forbidden, serviceBusy, unauthorized } from '../errors';
import { logger, tracer } from '../powertools';
import { browserHeaders } from './cors';
import { lambdaHandler } from './lambda';

export interface Request<Input> {
  input: Input;
  /** Present on routes behind the authorizer. */
  caller: Caller | undefined;
  /** The request's headers, by lower-cased name (HTTP header names are case-insensitive). */
  headers: Record<string, string | undefined>;
  /** The body as sent, for signature checks. */
  rawBody: string;
  /** Carried from the API request into the saga and events: the client's X-Correlation-Id, or API Gateway's request id. */
  correlationId: string;
}

type Logic<Input> = (request: Request<Input>) => Promise<object>;

export interface ApiHandlerOptions {
  /**
   * Runs on the body as sent, before it is parsed or validated, and refuses by throwing: a signed
   * route checks its signature here, so that nothing an unsigned sender wrote is parsed first.
   */
  verifyRaw?: (request: { headers: Record<string, string | undefined>; rawBody: string }) => Promise<void>;
}

/**
 * An API route's Lambda (API Gateway proxy integration): the common middleware, then
 * `options.verifyRaw` on the body as sent, if the route has one, then the input validated by
 * `schema` (the JSON body; for GET, the query string, as lebron's `form` fields), then the
 * route's access level (ROUTE_ACCESS, from infra/routes.ts: a user route needs a
 * caller, an admin route the admin role), then `logic`, whose result is answered with 200.
 * Errors become `{ code, message }`. Every answer gets its CORS and Cache-Control headers (cors.ts).
 * A public route ignores any token: API Gateway runs no authorizer for it, so `caller` is undefined.
 */
export function apiHandler<S extends z.ZodType>(schema: S, logic: Logic<z.infer<S>>, options: ApiHandlerOptions = {}) {
  const access = routeAccess();
  return (
    lambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: ANSWER_BEFORE_TIMEOUT_MS })
      // Added after errorResponses' answer: onError runs in reverse order of use.
      .use(browserHeaders())
      .use(errorResponses())
      .handler(async (event) => {
        const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
        const rawBody = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
        await options.verifyRaw?.({ headers, rawBody });
        const input = event.httpMethod === 'GET' ? parseQuery(event, schema) : parseBody(rawBody, schema);
        const caller = callerOf(event);
        if (access === 'admin') requireAdmin(caller);
        else if (access === 'user') requireCaller(caller);
        const correlationId = correlationIdIn(headers['x-correlation-id']) ?? event.requestContext?.requestId ?? 'none';
        logger.appendKeys({ correlation_id: correlationId });
        tracer.putAnnotation('correlationId', correlationId);
        if (caller) {
          logger.appendKeys({ uid: caller.uid });
          tracer.putAnnotation('uid', caller.uid);
        }
        const result = await logic({ input, caller, headers, rawBody, correlationId });
        // One line per request, never with its body: bodies carry passwords and tokens.
        logger.info('request handled', { method: event.httpMethod, route: event.resource });
        return json(200, result);
      })
  );
}

/**
 * A handler still waiting this close to its Lambda timeout answers 503 SERVICE_BUSY instead:
 * the timeout itself would reach the client as API Gateway's bare 502.
 */
const ANSWER_BEFORE_TIMEOUT_MS = 1000;

/** Who may call this function's route, as infra/routes.ts declares it (the construct sets ROUTE_ACCESS). */
function routeAccess(): 'public' | 'user' | 'admin' {
  const access = requireEnv('ROUTE_ACCESS');
  if (access !== 'public' && access !== 'user' && access !== 'admin')
    throw new Error(`ROUTE_ACCESS must be public, user or admin, got ${access}`);
  return access;
}

/** A route behind the authorizer always has a caller; this narrows the type and guards misconfiguration. */
export function requireCaller(caller: Caller | undefined): Caller {
  if (!caller) throw unauthorized('UNAUTHORIZED', 'this route needs a bearer token');
  return caller;
}

/** Shop-keeping actions: only callers whose token carries the admin role. */
function requireAdmin(caller: Caller | undefined): Caller {
  const known = requireCaller(caller);
  if (known.role !== 'admin') throw forbidden('ADMIN_ONLY', 'this action needs the admin role');
  return known;
}

/** A client's X-Correlation-Id, if it is a plain token (it goes into logs and traces). */
function correlationIdIn(header: string | undefined): string | undefined {
  return header && /^[\w.:-]{1,100}$/.test(header) ? header : undefined;
}

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function parseBody<S extends z.ZodType>(text: string, schema: S): z.infer<S> {
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      throw badRequest('MALFORMED_JSON', 'request body is not valid JSON');
    }
  }
  return validate(schema, raw);
}

/** Query-string values are strings; schemas for GET routes coerce them. */
function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  return validate(schema, { ...(event.queryStringParameters ?? {}) });
}

function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(body)',
      problem: issue.message,
    }));
    const summary = fields.map((f) => `${f.field}: ${f.problem}`).join('; ');
    throw badRequest('INVALID_INPUT', `invalid request: ${summary}`, fields);
  }
  return parsed.data;
}

function callerOf(event: APIGatewayProxyEvent): Caller | undefined {
  const context = event.requestContext?.authorizer;
  if (!context || context.uid === undefined) return undefined;
  return {
    uid: Number(context.uid),
    role: context.role === 'admin' ? 'admin' : 'user',
    name: String(context.name ?? ''),
    avatar: String(context.avatar ?? ''),
    jti: String(context.jti),
    exp: Number(context.exp),
  };
}

/** A dependency that throttled (after the SDK's own retries), or the handler running out of time (middy's early timeout). */
const BUSY = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TimeoutError',
]);

/** Maps every failure to `{ code, message }`. 5xx bodies never carry the underlying error. */
function errorResponses(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      let error = request.error;
      if (error && BUSY.has(error.name)) {
        logger.warn('a dependency is busy', { error });
        error = serviceBusy();
      }
      if (error instanceof AppError) {
        logger.info('request refused', { status: error.status, code: error.code });
        const reply = json(error.status, {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        });
        if (error.retryAfter !== undefined) reply.headers = { ...reply.headers, 'retry-after': String(error.retryAfter) };
        request.response = reply;
        return;
      }
      logger.error('unhandled error', { error });
      request.response = json(500, { code: 'INTERNAL', message: 'internal error' });
    },
  };
}
