import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOCAL_ACCOUNT } from './template-intrinsics';

/**
 * The Lambda proxy integration's wire formats as API Gateway (REST) writes and reads them: the
 * request as a proxy event (single- and multi-value headers and query parameters, the request
 * context with the authorizer's context), and the function's answer as an HTTP response.
 */

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** Where the request lands: the stage, the matched resource and its path parameters. */
export interface ProxyTarget {
  apiId: string;
  stage: string;
  resource: string;
  pathParameters: Record<string, string>;
}

export function proxyEvent(
  req: IncomingMessage,
  method: string,
  url: URL,
  body: Buffer,
  target: ProxyTarget,
  authorizerContext: Record<string, string> | undefined,
): Record<string, unknown> {
  return {
    resource: target.resource,
    path: url.pathname,
    httpMethod: method,
    headers: singleHeaders(req),
    multiValueHeaders: multiHeaders(req),
    queryStringParameters: url.searchParams.size ? Object.fromEntries(url.searchParams) : null,
    multiValueQueryStringParameters: url.searchParams.size ? groupParams(url.searchParams) : null,
    pathParameters: Object.keys(target.pathParameters).length ? target.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: target.apiId,
      stage: target.stage,
      requestId: randomUUID(),
      resourcePath: target.resource,
      httpMethod: method,
      path: `/${target.stage}${url.pathname}`,
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? null },
      ...(authorizerContext ? { authorizer: authorizerContext } : {}),
    },
    body: body.length ? body.toString('utf8') : null,
    isBase64Encoded: false,
  };
}

/** The integration's answer, or undefined when it is not a valid proxy response (API Gateway: 502). */
export function proxyResponse(result: any): HttpAnswer | undefined {
  if (!result || typeof result !== 'object' || !Number.isInteger(result.statusCode)) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries<any>(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries<any>(result.multiValueHeaders ?? {})) headers[k.toLowerCase()] = (v as unknown[]).map(String);
  const raw = result.body ?? '';
  const body = result.isBase64Encoded ? Buffer.from(String(raw), 'base64') : String(raw);
  return { statusCode: result.statusCode, headers, body };
}

export function headerValue(req: IncomingMessage, name: string | undefined): string | undefined {
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
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
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

export async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}
