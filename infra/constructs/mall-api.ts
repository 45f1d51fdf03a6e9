import { Aws, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { type Route, routeOf } from '../routes';
import { addPreflight, gatewayCorsHeaders } from './api-cors';
import type { ServiceFunction } from './service-function';

/**
 * The mall's REST API (API Gateway v1, which LocalStack's free tier supports) with a JWT
 * TOKEN authorizer and JSON error bodies shaped like the functions' own `{ code, message }`.
 *
 * The API spans stacks: it is made here, each route's method and Lambda permission are made in
 * the stack of the route's function (so a service's routes deploy and grow with it), and
 * `deployStage` makes the deployment and stage last, in a stack that depends on every route.
 * Each stack owns the first path segments it routes (`/api/order/...`), so no two stacks ever
 * make the same API Gateway resource.
 */
export class MallApi extends Construct {
  readonly restApi: apigw.RestApi;
  /** Every route deployed: the dashboard graphs them and the OpenAPI document lists them. */
  readonly routes: Route[] = [];
  /** The `/api` resource, under which every route hangs. */
  private readonly apiResource: apigw.Resource;
  private readonly methods: apigw.Method[] = [];
  private readonly roots = new Map<Stack, apigw.IResource>();
  private readonly segmentOwners = new Map<string, Stack>();
  private authorizer: apigw.IAuthorizer | undefined;
  private stage: apigw.Stage | undefined;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: StageConfig,
  ) {
    super(scope, id);
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `serverless-mall-${config.stage}`,
      description: 'Serverless mall HTTP API (go-zero-mall wire format)',
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deploy: false,
    });
    this.apiResource = this.restApi.root.addResource('api');
    this.roots.set(Stack.of(this), this.apiResource);
    this.addErrorResponses();

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'Each function validates its body with zod and answers 400 with a stable code; gateway models would duplicate those schemas.',
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
    // The permission CDK makes names the authorizer's ARN; the account too, as for every route.
    for (const permission of handler.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
      permission.sourceAccount = Stack.of(this).account;
    }
  }

  /** Serves the route infra/routes.ts declares for the handler's file, with its access level. */
  route(handler: ServiceFunction): void {
    const route = routeOf(handler.entryPoint);
    if (!route) throw new Error(`functions/${handler.entryPoint}.ts serves no route of infra/routes.ts`);
    const { method, path } = route;
    handler.addEnvironment('ROUTE_ACCESS', route.access);
    if (this.config.corsOrigins.length) handler.addEnvironment('CORS_ORIGINS', this.config.corsOrigins.join(','));
    if (route.publicRead) handler.addEnvironment('PUBLIC_MAX_AGE_SECONDS', String(this.config.publicReads.maxAgeSeconds));
    if (this.stage) throw new Error(`route ${route.path} added after deployStage: the stage's method settings would miss it`);
    const relative = /^\/api\/(.+)$/.exec(path)?.[1];
    if (!relative) throw new Error(`route ${path} must start with /api/`);
    const stack = Stack.of(handler);
    const segment = relative.split('/')[0]!;
    const owner = this.segmentOwners.get(segment) ?? stack;
    if (owner !== stack) throw new Error(`route ${path} is in stack ${stack.stackName}, but /api/${segment} belongs to ${owner.stackName}`);
    this.segmentOwners.set(segment, stack);
    this.routes.push(route);

    const resource = this.rootIn(stack).resourceForPath(relative);
    addPreflight(resource, this.config);
    // Exactly the permission the route needs; no second one for the console's test button.
    handler.addPermission(`ApiPermission.${method}.${relative.replace(/\//g, '.')}`, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.restApi.arnForExecuteApi(method, path, this.config.stage),
      sourceAccount: Stack.of(this).account,
      scope: resource,
    });
    const integration = new apigw.Integration({
      type: apigw.IntegrationType.AWS_PROXY,
      integrationHttpMethod: 'POST',
      uri: `arn:${Aws.PARTITION}:apigateway:${Stack.of(handler).region}:lambda:path/2015-03-31/functions/${handler.functionArn}/invocations`,
    });
    if (route.access === 'public') {
      const m = resource.addMethod(method, integration, { authorizationType: apigw.AuthorizationType.NONE });
      const reason = `${path} is public by design: ${route.publicBecause ?? 'it is how a caller gets a token'}.`;
      Validations.of(m).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(m).acknowledge({ id: 'AwsSolutions-COG4', reason });
      this.methods.push(m);
      return;
    }
    if (!this.authorizer) throw new Error(`route ${path} needs the authorizer; call useAuthorizer first`);
    const m = resource.addMethod(method, integration, { authorizer: this.authorizer });
    Validations.of(m).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: "Users are the mall's own (go-zero-mall wire format); a Lambda authorizer verifies their JWT.",
    });
    this.methods.push(m);
  }

  /**
   * The deployment and the stage, made in `scope` (a stack that depends on every route's
   * stack). The deployment's logical id changes with the routes, so a route added, moved or
   * removed gets a new deployment: API Gateway serves only what was deployed.
   */
  deployStage(scope: Construct): apigw.Stage {
    const api = apigw.RestApi.fromRestApiId(scope, 'RestApi', this.restApi.restApiId);
    const deployment = new apigw.Deployment(scope, 'Deployment', { api, description: `serverless-mall ${this.config.stage}` });
    for (const m of this.methods) deployment.node.addDependency(m);
    // Read at synth, so that it sees every route, whenever it was added.
    const routes = Lazy.any({ produce: () => this.routes.map(({ method, path, access, handler }) => ({ method, path, access, handler })) });
    deployment.addToLogicalId({
      routes,
      authorizerCacheTtl: this.config.authorizerCacheTtlSeconds,
      responses: ERROR_RESPONSES,
      cors: [this.config.corsOrigins, this.config.corsMaxAgeSeconds],
    });
    const accessLogs = new logs.LogGroup(scope, 'AccessLogs', {
      retention: this.config.logRetentionDays,
      removalPolicy: this.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = new apigw.Stage(scope, 'Stage', {
      deployment,
      stageName: this.config.stage,
      tracingEnabled: true,
      metricsEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false, // would log request bodies, passwords included
      accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      throttlingRateLimit: this.config.throttle.rateLimit,
      throttlingBurstLimit: this.config.throttle.burstLimit,
      methodOptions: this.publicReadThrottles(),
    });
    this.stage = stage;
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is a per-account deployment choice with its own cost; API-wide throttling is configured per stage.',
    });
    return stage;
  }

  /**
   * The anonymous storefront reads get a throttle of their own, below the stage's: a scraper
   * or a flood on them cannot take the whole API's rate from shoppers who log in and buy.
   */
  private publicReadThrottles(): Record<string, apigw.MethodDeploymentOptions> {
    const { rateLimit, burstLimit } = this.config.publicReads;
    return Object.fromEntries(
      this.routes
        .filter((r) => r.publicRead)
        .map((r) => [`${r.path}/${r.method}`, { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit }]),
    );
  }

  /** Where `stack` hangs its routes: `/api` itself here, an import of it in another stack. */
  private rootIn(stack: Stack): apigw.IResource {
    let root = this.roots.get(stack);
    if (!root) {
      root = apigw.RestApi.fromRestApiAttributes(stack, 'Api', {
        restApiId: this.restApi.restApiId,
        rootResourceId: this.apiResource.resourceId,
      }).root;
      this.roots.set(stack, root);
    }
    return root;
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
    const responseHeaders = gatewayCorsHeaders(this.config.corsOrigins);
    for (const [id, type, statusCode, templates] of ERROR_RESPONSES) {
      this.restApi.addGatewayResponse(id, {
        type,
        templates,
        ...(statusCode ? { statusCode } : {}),
        ...(Object.keys(responseHeaders).length ? { responseHeaders } : {}),
      });
    }
  }
}

const body = (code: string, message: string) => ({
  'application/json': JSON.stringify({ code, message }),
});
const ERROR_RESPONSES: Array<[string, apigw.ResponseType, string, Record<string, string>]> = [
  ['Unauthorized', apigw.ResponseType.UNAUTHORIZED, '401', body('UNAUTHORIZED', 'missing, invalid, expired or revoked token')],
  ['AccessDenied', apigw.ResponseType.ACCESS_DENIED, '403', body('FORBIDDEN', 'not allowed')],
  // API Gateway answers an unknown route with 403 "Missing Authentication Token"; say what it is.
  ['RouteNotFound', apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', body('ROUTE_NOT_FOUND', 'no such route')],
  ['TooLarge', apigw.ResponseType.REQUEST_TOO_LARGE, '413', body('PAYLOAD_TOO_LARGE', 'request body too large')],
  ['Throttled', apigw.ResponseType.THROTTLED, '429', body('THROTTLED', 'too many requests, retry shortly')],
  [
    'Default4xx',
    apigw.ResponseType.DEFAULT_4XX,
    '',
    { 'application/json': '{"code":"BAD_REQUEST","message":$context.error.messageString}' },
  ],
  ['Default5xx', apigw.ResponseType.DEFAULT_5XX, '', body('INTERNAL', 'internal error')],
];
