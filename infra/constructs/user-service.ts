import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { functionFactory } from './service-function';

export interface UserServiceProps {
  api: MallApi;
  config: StageConfig;
  table: dynamodb.ITable;
  /** HMAC key for access tokens; only login (signs) and the authorizer (verifies) may read it. */
  signingSecret: secretsmanager.ISecret;
}

/** Users, credentials and tokens: the user table, its endpoints and the API's JWT authorizer. */
export class UserService extends Construct {
  constructor(scope: Construct, id: string, { api, config, table, signingSecret }: UserServiceProps) {
    super(scope, id);

    const tokenEnv = {
      JWT_SECRET_ARN: signingSecret.secretArn,
      JWT_ISSUER: `serverless-mall/${config.stage}`,
      JWT_AUDIENCE: 'serverless-mall-api',
      ACCESS_EXPIRE_SECONDS: String(config.accessTokenTtlSeconds),
    };
    const fn = functionFactory(this, 'user', config, { USER_TABLE: table.tableName });

    // scrypt is CPU-bound; more memory buys a larger CPU share and a faster hash.
    const register = fn('api/register', { memorySize: 1024 });
    register.grantTable(table, ['UpdateItem', 'PutItem']);

    const login = fn('api/login', { environment: { ...tokenEnv, ADMIN_MOBILES: config.adminMobiles.join(',') }, memorySize: 1024 });
    login.grantTable(table, ['GetItem']);
    signingSecret.grantRead(login);

    const authorizer = fn('api/authorizer', { environment: tokenEnv });
    authorizer.grantTable(table, ['GetItem']);
    signingSecret.grantRead(authorizer);

    const userinfo = fn('api/userinfo');
    userinfo.grantTable(table, ['GetItem']);

    const logout = fn('api/logout', { environment: { REST_API_ID: api.restApi.restApiId, API_STAGE: config.stage } });
    logout.grantTable(table, ['PutItem']);
    api.grantFlushAuthorizerCache(logout);

    api.useAuthorizer(authorizer);
    api.route(register);
    api.route(login);
    api.route(userinfo);
    api.route(logout);
  }
}
