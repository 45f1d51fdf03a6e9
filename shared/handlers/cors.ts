import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The headers a route's answer, error or not, carries for the browser (the preflight is API
 * Gateway's, infra/constructs/api-cors.ts):
 * - CORS: the request's Origin echoed when the stage allows it (CORS_ORIGINS, comma-separated),
 *   with `Vary: Origin` since the answer depends on it; nothing for another origin.
 * - Cache-Control: an anonymous storefront read's success may be kept PUBLIC_MAX_AGE_SECONDS
 *   by any cache; every other answer, and every error, is `no-store`.
 */
export function browserHeaders(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const origins = new Set((process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean));
  const maxAge = process.env.PUBLIC_MAX_AGE_SECONDS;
  const add = (request: { event: APIGatewayProxyEvent; response: APIGatewayProxyResult | null }) => {
    const response = request.response;
    if (!response) return;
    const headers: Record<string, string | number | boolean> = { ...response.headers };
    const cacheable = maxAge !== undefined && response.statusCode === 200;
    headers['cache-control'] = cacheable ? `public, max-age=${maxAge}` : 'no-store';
    if (origins.size) {
      const origin = originOf(request.event);
      if (origin && origins.has(origin)) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-expose-headers'] = 'Retry-After';
      }
      headers.vary = 'Origin';
    }
    response.headers = headers;
  };
  return { after: add, onError: add };
}

function originOf(event: APIGatewayProxyEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) if (name.toLowerCase() === 'origin') return value;
  return undefined;
}
