import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_DOCS } from '../api-docs';
import type { StageConfig } from '../config';

export interface RouteOptions {
  /** Public routes (register, login, the payment provider's notification) skip the authorizer. */
  public?: boolean;
  /** Why a public route is public. */
  reason?: string;
}

/**
 * The mall's REST API (API Gateway v1, which LocalStack's free tier supports) with a JWT
 * TOKEN authorizer and JSON error bodies shaped like the functions' own `{ code, message }`.
 */
export class MallApi extends Construct {
  readonly restApi: apigw.RestApi;
  /** Every route, as declared: the dashboard graphs them and the OpenAPI document lists them. */
  readonly routes: Array<{ method: string; path: string; public: boolean }> = [];
  private authorizer: apigw.IAuthorizer | undefined;

  constructor(scope: Construct, id: string, private readonly config: StageConfig) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `serverless-mall-${config.stage}`,
      description: 'Serverless mall HTTP API (go-zero-mall wire format)',
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: config.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // would log request bodies, passwords included
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
      },
    });
    this.addErrorResponses();

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'Each function validates its body with zod and answers 400 with a stable code; gateway models would duplicate those schemas.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is a per-account deployment choice with its own cost; API-wide throttling is configured per stage.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-level logging role needs this AWS-managed policy; it is the documented way.",
    });
  }

  /** The token authorizer, owned by the user service; set once, before any protected route. */
  useAuthorizer(handler: lambda.IFunction): void {
    this.authorizer = new apigw.TokenAuthorizer(this, 'JwtAuthorizer', {
      handler,
      identitySource: apigw.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.seconds(this.config.authorizerCacheTtlSeconds),
    });
  }

  route(method: 'GET' | 'POST', path: string, handler: lambda.IFunction, options: RouteOptions = {}): void {
    if (!API_DOCS[`${method} ${path}`]) throw new Error(`${method} ${path} has no entry in infra/api-docs.ts`);
    this.routes.push({ method, path, public: Boolean(options.public) });
    const resource = this.restApi.root.resourceForPath(path);
    const integration = new apigw.LambdaIntegration(handler);
    if (options.public) {
      const m = resource.addMethod(method, integration, { authorizationType: apigw.AuthorizationType.NONE });
      const reason = `${path} is public by design: ${options.reason ?? 'it is how a caller gets a token'}.`;
      Validations.of(m).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(m).acknowledge({ id: 'AwsSolutions-COG4', reason });
      return;
    }
    if (!this.authorizer) throw new Error(`route ${path} needs the authorizer; call useAuthorizer first`);
    const m = resource.addMethod(method, integration, { authorizer: this.authorizer });
    Validations.of(m).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Users are the mall\'s own (go-zero-mall wire format); a Lambda authorizer verifies their JWT.',
    });
  }

  /** Grants permission to flush this stage's authorizer cache (used by logout). */
  grantFlushAuthorizerCache(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['apigateway:DELETE'],
        resources: [
          stack.formatArn({
            service: 'apigateway',
            account: '',
            resource: `/restapis/${this.restApi.restApiId}/stages/${this.config.stage}/cache/authorizers`,
          }),
        ],
      }),
    );
  }

  private addErrorResponses(): void {
    const body = (code: string, message: string) => ({
      'application/json': JSON.stringify({ code, message }),
    });
    const responses: Array<[string, apigw.ResponseType, string, Record<string, string>]> = [
      ['Unauthorized', apigw.ResponseType.UNAUTHORIZED, '401', body('UNAUTHORIZED', 'missing, invalid, expired or revoked token')],
      ['AccessDenied', apigw.ResponseType.ACCESS_DENIED, '403', body('FORBIDDEN', 'not allowed')],
      // API Gateway answers an unknown route with 403 "Missing Authentication Token"; say what it is.
      ['RouteNotFound', apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', body('ROUTE_NOT_FOUND', 'no such route')],
      ['TooLarge', apigw.ResponseType.REQUEST_TOO_LARGE, '413', body('PAYLOAD_TOO_LARGE', 'request body too large')],
      ['Throttled', apigw.ResponseType.THROTTLED, '429', body('THROTTLED', 'too many requests, retry shortly')],
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, '', { 'application/json': '{"code":"BAD_REQUEST","message":$context.error.messageString}' }],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX, '', body('INTERNAL', 'internal error')],
    ];
    for (const [id, type, statusCode, templates] of responses) {
      this.restApi.addGatewayResponse(id, { type, templates, ...(statusCode ? { statusCode } : {}) });
    }
  }
}
