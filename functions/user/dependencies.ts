import { APIGatewayClient, FlushStageAuthorizersCacheCommand } from '@aws-sdk/client-api-gateway';
import { dynamo } from '../../shared/aws';
import { requireEnv, requireIntEnv } from '../../shared/env';
import { tracer } from '../../shared/powertools';
import { getSecret } from '../../shared/secrets';
import { AddressRepository } from './address-repository';
import { DynamoProfileStore } from './profile-repository';
import type { ProfileDeps } from './profile-service';
import { DynamoSessionStore } from './session-repository';
import type { AuthorizationCache, FlushThrottle } from './session-service';
import type { TokenSettings } from './tokens';
import { DynamoUserStore } from './user-repository';
import type { LoginLockout } from './user-service';

// Factories the user service's handlers call once, at module scope, for what they need. Each
// reads its environment when called, so a function is given only the variables it uses.

export function userStore(): DynamoUserStore {
  return new DynamoUserStore(dynamo, requireEnv('USER_TABLE'));
}

export function profileStore(): DynamoProfileStore {
  return new DynamoProfileStore(dynamo, requireEnv('USER_TABLE'));
}

export function sessionStore(): DynamoSessionStore {
  return new DynamoSessionStore(dynamo, requireEnv('USER_TABLE'));
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

/** The per-account login backoff, from stage configuration (config.loginLockout). */
export function loginLockout(): LoginLockout {
  return {
    lockAfterFailures: requireIntEnv('LOGIN_LOCK_AFTER_FAILURES'),
    backoffBaseSeconds: requireIntEnv('LOGIN_BACKOFF_BASE_SECONDS'),
    backoffMaxSeconds: requireIntEnv('LOGIN_BACKOFF_MAX_SECONDS'),
  };
}

/** How often logout may flush the stage's authorizer cache (config.authorizerFlushIntervalSeconds). */
export function flushThrottle(): FlushThrottle {
  return { intervalMs: requireIntEnv('AUTHORIZER_FLUSH_INTERVAL_SECONDS') * 1000 };
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

/** Profile and password changes: the records, and the throttled authorizer-cache flush after them. */
export function profileDeps(): ProfileDeps {
  return {
    users: userStore(),
    profiles: profileStore(),
    sessions: sessionStore(),
    cache: apiAuthorizationCache(),
    throttle: flushThrottle(),
  };
}

export function addressRepository(): AddressRepository {
  return new AddressRepository(dynamo, requireEnv('USER_TABLE'));
}
