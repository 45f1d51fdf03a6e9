import { APIGatewayClient, FlushStageAuthorizersCacheCommand } from '@aws-sdk/client-api-gateway';
import { dynamo } from '../../shared/aws';
import { requireEnv, requireIntEnv } from '../../shared/env';
import { tracer } from '../../shared/powertools';
import { getSecret } from '../../shared/secrets';
import type { TokenSettings } from './tokens';
import { DynamoUserStore } from './user-repository';
import type { AuthorizationCache } from './user-service';

// Factories the user service's handlers call once, at module scope, for what they need. Each
// reads its environment when called, so a function is given only the variables it uses.

export function userStore(): DynamoUserStore {
  return new DynamoUserStore(dynamo, requireEnv('USER_TABLE'));
}

export function tokenSettings(): TokenSettings {
  const secretArn = requireEnv('JWT_SECRET_ARN');
  return {
    key: async () => new TextEncoder().encode(await getSecret(secretArn)),
    issuer: requireEnv('JWT_ISSUER'),
    audience: requireEnv('JWT_AUDIENCE'),
    ttlSeconds: requireIntEnv('ACCESS_EXPIRE_SECONDS'),
  };
}

/** Admins are bootstrapped from stage configuration: a comma-separated list of mobiles. */
export function adminMobiles(): ReadonlySet<string> {
  return new Set(
    (process.env.ADMIN_MOBILES ?? '')
      .split(',')
      .map((mobile) => mobile.trim())
      .filter(Boolean),
  );
}

export function apiAuthorizationCache(): AuthorizationCache {
  const restApiId = requireEnv('REST_API_ID');
  const stageName = requireEnv('API_STAGE');
  const client = tracer.captureAWSv3Client(new APIGatewayClient({}));
  return {
    flush: async () => {
      await client.send(new FlushStageAuthorizersCacheCommand({ restApiId, stageName }));
    },
  };
}
