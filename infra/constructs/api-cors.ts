import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { StageConfig } from '../config';

/**
 * CORS for the stage's allowed origins (StageConfig.corsOrigins), in the three places a browser
 * reads it: the preflight (an OPTIONS method per route resource, a MOCK integration, so API
 * Gateway answers it without a Lambda), the gateway's own error responses, and the functions'
 * answers (shared/handlers/cors.ts, from CORS_ORIGINS).
 */

/** Request headers a page may send: the body's type, the bearer token, and the mall's own. */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Correlation-Id'];

/** The preflight of one resource: API Gateway echoes an allowed Origin (CDK's template for several origins). */
export function addPreflight(resource: apigw.IResource, config: StageConfig): void {
  if (config.corsOrigins.length === 0 || resource.node.tryFindChild('OPTIONS')) return;
  const method = resource.addCorsPreflight({
    allowOrigins: config.corsOrigins,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: CORS_ALLOW_HEADERS,
    maxAge: Duration.seconds(config.corsMaxAgeSeconds),
  });
  const reason = 'A CORS preflight carries no credentials by design; API Gateway answers it itself (MOCK), no function runs.';
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
}

/**
 * CORS headers for a gateway response (401, 403, 429, 5xx...). With one allowed origin, that
 * origin; with several, the request's Origin echoed: a gateway response cannot test it against
 * a list. Those bodies are fixed texts with no data, and no credentials are ever allowed.
 */
export function gatewayCorsHeaders(origins: string[]): Record<string, string> {
  if (origins.length === 0) return {};
  return {
    'Access-Control-Allow-Origin': origins.length === 1 ? `'${origins[0]}'` : 'method.request.header.Origin',
    Vary: "'Origin'",
  };
}
