import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { functionFactory, type ServiceFunction } from './service-function';

export interface UserServiceProps {
  api: MallApi;
  config: StageConfig;
  table: dynamodb.ITable;
  /** HMAC key for access tokens; only login (signs) and the authorizer (verifies) may read it. */
  signingSecret: secretsmanager.ISecret;
}

/** Users, credentials and tokens: the user table, its endpoints and the API's JWT authorizer. */
export class UserService extends Construct {
  /** Internal: a user's address (or default address), for the order service to copy into an order. */
  readonly addressLookup: ServiceFunction;

  constructor(scope: Construct, id: string, { api, config, table, signingSecret }: UserServiceProps) {
    super(scope, id);

    const tokenEnv = {
      JWT_SECRET_ARN: signingSecret.secretArn,
      JWT_ISSUER: `serverless-mall/${config.stage}`,
      JWT_AUDIENCE: 'serverless-mall-api',
      ACCESS_EXPIRE_SECONDS: String(config.accessTokenTtlSeconds),
    };
    const fn = functionFactory(this, 'user', config, { USER_TABLE: table.tableName });

    // scrypt (N=2^17, 128 MiB) is CPU-bound; more memory buys a larger CPU share and a faster hash.
    const passwordEnv = { SCRYPT_COST: String(config.passwordScryptCost) };
    const register = fn('api/register', { environment: passwordEnv, memorySize: 1024 });
    register.grantTable(table, ['UpdateItem', 'PutItem']);

    const { lockAfterFailures, backoffBaseSeconds, backoffMaxSeconds } = config.loginLockout;
    const lockoutEnv = {
      LOGIN_LOCK_AFTER_FAILURES: String(lockAfterFailures),
      LOGIN_BACKOFF_BASE_SECONDS: String(backoffBaseSeconds),
      LOGIN_BACKOFF_MAX_SECONDS: String(backoffMaxSeconds),
    };
    // Reads the credential and the role; counts failures, clears them, rehashes old hashes.
    const login = fn('api/login', { environment: { ...tokenEnv, ...lockoutEnv, ...passwordEnv }, memorySize: 1024 });
    login.grantTable(table, ['GetItem', 'UpdateItem']);
    signingSecret.grantRead(login);

    const authorizer = fn('api/authorizer', { environment: tokenEnv });
    authorizer.grantTable(table, ['GetItem']);
    signingSecret.grantRead(authorizer);

    const userinfo = fn('api/userinfo');
    userinfo.grantTable(table, ['GetItem']);

    const flushEnv = { REST_API_ID: api.restApi.restApiId, API_STAGE: config.stage };
    const flushInterval = config.authorizerFlushIntervalSeconds;
    // Logout may wait up to one flush interval for the stage's next flush.
    const logout = fn('api/logout', {
      environment: { ...flushEnv, AUTHORIZER_FLUSH_INTERVAL_SECONDS: String(flushInterval) },
      timeout: Duration.seconds(flushInterval + 10),
    });
    logout.grantTable(table, ['PutItem', 'GetItem']);
    api.grantFlushAuthorizerCache(logout);

    // Admin-only: change a role on the user's record (checking the caller's own is still admin),
    // and forget cached decisions at once.
    const roleChanges = ['api/grant-admin', 'api/revoke-admin'].map((entry) => {
      const change = fn(entry, { environment: flushEnv });
      change.grantTable(table, ['UpdateItem', 'ConditionCheckItem']);
      api.grantFlushAuthorizerCache(change);
      return change;
    });

    // Profiles: a change the authorizer hands to routes (name, avatar) or checks (the session
    // version a password change raises) flushes its cached decisions, throttled as logout's.
    const flushThrottleEnv = { ...flushEnv, AUTHORIZER_FLUSH_INTERVAL_SECONDS: String(flushInterval) };
    const profileUpdate = fn('api/profile-update', { environment: flushThrottleEnv, timeout: Duration.seconds(flushInterval + 10) });
    profileUpdate.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    api.grantFlushAuthorizerCache(profileUpdate);
    // Checks the old password and hashes the new one (scrypt, as login), counts wrong ones, signs the new token.
    const passwordChange = fn('api/password-change', {
      environment: { ...flushThrottleEnv, ...tokenEnv, ...lockoutEnv, ...passwordEnv },
      memorySize: 1024,
      timeout: Duration.seconds(flushInterval + 15),
    });
    passwordChange.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    api.grantFlushAuthorizerCache(passwordChange);
    signingSecret.grantRead(passwordChange);

    // The address book: one item per user (functions/user/address-repository.ts).
    const addressList = fn('api/address-list');
    addressList.grantTable(table, ['GetItem']);
    const addressAdd = fn('api/address-add');
    addressAdd.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']); // UpdateItem also reserves ids
    const addressChanges = ['api/address-update', 'api/address-set-default', 'api/address-remove'].map((entry) => {
      const change = fn(entry);
      change.grantTable(table, ['GetItem', 'UpdateItem']);
      return change;
    });
    this.addressLookup = fn('internal/address');
    this.addressLookup.grantTable(table, ['GetItem']);

    api.useAuthorizer(authorizer);
    api.route(register);
    api.route(login);
    api.route(userinfo);
    api.route(logout);
    for (const change of roleChanges) api.route(change);
    for (const route of [profileUpdate, passwordChange, addressList, addressAdd, ...addressChanges]) api.route(route);
  }
}
