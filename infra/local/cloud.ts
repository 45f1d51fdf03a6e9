import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageConfig } from '../config';
import { openApiDocument } from '../openapi';
import { LocalRestApi, type RequestLog } from './api-gateway';
import { AwsServiceError, LocalAwsEndpoint } from './aws-services';
import { serveApiDocs } from './console';
import { serveControl } from './control';
import { DynamoDbIam } from './dynamodb-iam';
import { DynamoDbLocal } from './dynamodb-local';
import { DynamoMeter } from './dynamodb-meter';
import { LocalEventBridge } from './event-bridge';
import { AccessDenied, endpointPermissions, LocalIam } from './iam';
import { LocalLambdas } from './lambda-runtime';
import { foreignRequest, isLoopbackHost } from './loopback-guard';
import { orderCorrelation, serveMallView } from './mall-view';
import { LocalSchedules } from './schedules';
import { serveSecrets } from './secrets';
import { LocalStepFunctions } from './step-functions';
import { defaultBundleCacheDir, synthesizeLocal } from './synth-local';
import { LocalTelemetry } from './telemetry';
import type { SynthesizedTemplate } from './template';
import { LOCAL_REGION } from './template-intrinsics';
import { LocalTtl } from './ttl';
import { LocalXRayDaemon } from './xray-daemon';

export interface LocalCloudOptions {
  /** Port of the mall's HTTP API; 0 picks a free one. */
  port: number;
  /**
   * Address the API listens on (default 127.0.0.1: this machine only). Everything else the local
   * cloud opens (the AWS endpoint with its hooks, DynamoDB Local, the X-Ray daemon) is loopback-only.
   */
  host?: string;
  /** Where data (DynamoDB, secrets, synth output, logs) is kept between runs; omit for in-memory. */
  dataDir?: string;
  /** Environment the stage configuration is read from (MALL_PAY_SANDBOX, MALL_LOGIN_BACKOFF_SECONDS...). */
  env?: NodeJS.ProcessEnv;
  progress?: (message: string) => void;
  /** Pause between Step Functions retries instead of the definition's backoff (tests: a few ms). */
  retryPauseMs?: number;
  /** Put a metering proxy between the functions and DynamoDB (benchmarks). */
  meterDynamo?: boolean;
  onRequest?: (entry: RequestLog) => void;
  /** Where bundles are cached between runs (default: MALL_BUNDLE_CACHE, else node_modules/.cache/mall-bundles). */
  bundleCacheDir?: string;
  /** Changes the synthesized templates before they run (tests: a variant with a grant removed). */
  alterTemplate?: (template: SynthesizedTemplate) => void;
}

export interface LocalCloud {
  apiUrl: string;
  /** The local console: traces, saga executions and metrics. */
  consoleUrl: string;
  /** Loopback endpoint of the local AWS services (Secrets Manager, API Gateway management...). */
  awsEndpoint: string;
  dynamoEndpoint: string;
  functionLogFile: string;
  /** Present with `meterDynamo`. */
  dynamoMeter?: DynamoMeter;
  stop(): Promise<void>;
}

/**
 * The embedded local cloud: synthesizes the CDK app for the "local" stage and runs what the
 * template describes (tables in DynamoDB Local, functions in worker threads, the REST API with
 * its authorizer, secrets) with no Docker and no AWS account.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const progress = options.progress ?? (() => {});
  const workDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mall-'));
  fs.mkdirSync(workDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    // MALL_KEEP_WORK_DIR=1 keeps the functions' logs of a test run to read after it.
    if (!options.dataDir && !process.env.MALL_KEEP_WORK_DIR) fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    // Sandbox payments (the user-token callback) are on in the local cloud unless MALL_PAY_SANDBOX=0.
    // The loopback endpoint first: its Swagger UI (/_docs/) is a web origin the API allows (CORS).
    const aws = new LocalAwsEndpoint();
    const awsEndpoint = await aws.start();
    stops.push(() => aws.stop());
    const stage = stageConfig('local', { MALL_PAY_SANDBOX: '1', ...(options.env ?? process.env) });
    const config = { ...stage, corsOrigins: [...new Set([...swaggerOrigins(awsEndpoint), ...stage.corsOrigins])] };
    // The JVM boots while the app is synthesized (synthesis blocks this thread; the JVM is a process).
    const dynamoStarted = Date.now();
    const dynamoStarting = DynamoDbLocal.start(options.dataDir ? path.join(workDir, 'dynamodb') : undefined);
    dynamoStarting.catch(() => {}); // handled where it is awaited, after the synthesis
    stops.push(async () => (await dynamoStarting.catch(() => undefined))?.stop());
    await new Promise((resolve) => setTimeout(resolve, 50)); // lets it pick a port and spawn java
    const bundleLog = path.join(workDir, 'bundling.log');
    const synthesis = synthesizeLocal(config, path.join(workDir, 'cdk.out'), bundleLog, options.bundleCacheDir ?? defaultBundleCacheDir());
    const { api: mallApi, template, functions: bundled } = synthesis;
    progress(
      `synthesized the CDK app (stage "local"), bundled ${bundled.total} functions (${bundled.rebuilt} rebuilt, ${bundled.cached} cached) in ${synthesis.seconds.toFixed(1)} s; esbuild's output in ${bundleLog}`,
    );
    options.alterTemplate?.(template);
    const iam = new LocalIam(template);

    const dynamo = await dynamoStarting;
    const tables = template.tables();
    await dynamo.createTables(tables);
    progress(
      `DynamoDB Local ready with ${tables.length} tables (${options.dataDir ? `data in ${path.join(workDir, 'dynamodb')}` : 'in memory'}) in ${((Date.now() - dynamoStarted) / 1000).toFixed(1)} s`,
    );
    const ttlClient = dynamo.client();
    const ttl = new LocalTtl(ttlClient, tables);
    ttl.start();
    stops.push(async () => {
      ttl.stop();
      ttlClient.destroy();
    });

    const dynamoMeter = options.meterDynamo ? new DynamoMeter() : undefined;

    const functionLogFile = path.join(workDir, 'functions.log');
    const logStream = fs.createWriteStream(functionLogFile, { flags: 'a' });
    stops.push(() => new Promise((resolve) => logStream.end(resolve)));
    const denied = (error: AccessDenied) => logStream.write(`local-iam AccessDeniedException: ${error.message}\n`);
    // Every function's DynamoDB call passes IAM first, as on AWS (and the meter, if any, counts it there).
    const dynamoIam = new DynamoDbIam(iam, dynamo.endpoint, denied, dynamoMeter);
    const functionDynamoEndpoint = await dynamoIam.start();
    stops.push(() => dynamoIam.stop());

    aws.authorize = (call) => {
      for (const [action, resources] of endpointPermissions(call)) {
        try {
          iam.authorize(call.accessKey, action, resources);
        } catch (error) {
          if (!(error instanceof AccessDenied)) throw error;
          denied(error);
          // Lambda and API Gateway (REST) answer 403; the JSON-protocol services 400.
          throw new AwsServiceError('AccessDeniedException', error.message, call.target ? 400 : 403);
        }
      }
    };
    serveSecrets(template, aws, options.dataDir ? path.join(workDir, 'secrets.json') : undefined);

    // Each function calls AWS with credentials of its own, which IAM knows as its role.
    const functions = template
      .functions()
      .map((f) => ({ ...f, environment: { ...f.environment, AWS_ACCESS_KEY_ID: iam.accessKeyOf(f.functionName) } }));
    const telemetry = new LocalTelemetry(orderCorrelation);
    const xray = new LocalXRayDaemon();
    const xrayAddress = await xray.start();
    stops.push(() => xray.stop());
    const lambdas = new LocalLambdas(
      functions,
      {
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        // Every AWS call goes to the local cloud, never to a real account.
        AWS_ENDPOINT_URL: awsEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: functionDynamoEndpoint,
        TZ: 'UTC',
        // As in Lambda: Powertools' tracer is on, and the X-Ray SDK sends to the (local) daemon.
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_XRAY_DAEMON_ADDRESS: xrayAddress,
      },
      (fn, line) => {
        logStream.write(`${fn} ${line}\n`);
        telemetry.logLine(line);
      },
      telemetry,
    );
    stops.push(() => lambdas.stop());
    lambdas.useIam(iam);
    progress(`functions ready: ${functions.length} (logs in ${functionLogFile})`);

    const api = new LocalRestApi(template, lambdas, telemetry, options.onRequest);
    api.serve(aws);
    lambdas.serve(aws);

    const stepFunctions = new LocalStepFunctions(template, lambdas, {
      retryPauseMs: options.retryPauseMs,
      historyDir: path.join(workDir, 'executions'),
      logFile: path.join(workDir, 'state-machines.log'),
    });
    stepFunctions.serve(aws);
    stops.push(async () => stepFunctions.stop());
    const eventBridge = new LocalEventBridge(template, lambdas, telemetry, options.retryPauseMs ?? 200);
    eventBridge.serve(aws);
    const schedules = new LocalSchedules(template, lambdas);
    schedules.start();
    stops.push(async () => schedules.stop());
    serveControl(aws, { lambdas, schedules, stepFunctions, eventBridge, ttl, xray, functionLogFile });
    serveMallView(aws, telemetry, stepFunctions);

    const host = options.host ?? '127.0.0.1';
    const server: Server = createServer((req, res) => {
      // On loopback, a page whose name was re-pointed at 127.0.0.1 (DNS rebinding) is refused.
      const foreign = isLoopbackHost(host)
        ? foreignRequest(req, (server.address() as AddressInfo).port, { checkOrigin: false })
        : undefined;
      if (foreign) {
        req.resume();
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'FOREIGN_HOST', message: foreign }));
        return;
      }
      void api.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
    stops.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const apiUrl = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
    const openApi = openApiDocument(mallApi.routes, apiUrl);
    fs.writeFileSync(path.join(workDir, 'openapi.json'), JSON.stringify(openApi, null, 2));
    serveApiDocs(aws, openApi, 'Serverless mall API');
    return {
      apiUrl,
      consoleUrl: `${awsEndpoint}/_console`,
      awsEndpoint,
      dynamoEndpoint: dynamo.endpoint,
      functionLogFile,
      ...(dynamoMeter ? { dynamoMeter } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The Swagger UI's origin, by both loopback names a browser may use for it. */
export function swaggerOrigins(awsEndpoint: string): string[] {
  const port = new URL(awsEndpoint).port;
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}
