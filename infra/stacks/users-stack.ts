import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { MallApi } from '../constructs/mall-api';
import { UserService } from '../constructs/user-service';
import type { DataStack } from './data-stack';

/**
 * The REST API itself (its routes are made by each service's stack), the JWT authorizer every
 * protected route uses, and the user service that issues the tokens.
 */
export class UsersStack extends Stack {
  readonly api: MallApi;
  readonly users: UserService;

  constructor(scope: Construct, id: string, config: StageConfig, data: DataStack, props: StackProps) {
    super(scope, id, props);
    this.api = new MallApi(this, 'Api', config);
    this.users = new UserService(this, 'Users', { api: this.api, config, table: data.tables.users, signingSecret: data.jwtSigningSecret });
  }
}
