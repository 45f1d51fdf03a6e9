import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { logger, metrics, tracer } from '../../../shared/powertools';
import { profileStore, sessionStore, tokenSettings } from '../dependencies';
import { authorize } from '../session-service';

const users = profileStore();
const sessions = sessionStore();
const tokens = tokenSettings();

/**
 * API Gateway TOKEN authorizer. Throwing exactly "Unauthorized" makes API Gateway answer 401.
 * The policy covers the whole stage, because API Gateway caches it per token for every route.
 */
export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (event) => {
    const claims = await authorize(users, sessions, tokens, event.authorizationToken);
    if (!claims) {
      logger.info('token refused');
      metrics.addMetric('TokenRefused', MetricUnit.Count, 1);
      throw new Error('Unauthorized');
    }
    metrics.addMetric('TokenAccepted', MetricUnit.Count, 1);
    return {
      principalId: String(claims.uid),
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageArn(event.methodArn) }],
      },
      context: { uid: claims.uid, role: claims.role, name: claims.name, avatar: claims.avatar, jti: claims.jti, exp: claims.exp },
    };
  });

/** arn:aws:execute-api:region:account:api/stage/METHOD/path -> arn:...:api/stage/* */
function stageArn(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*`;
}
