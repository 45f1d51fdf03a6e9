import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { MiddlewareObj } from '@middy/core';

/**
 * X-Ray tracing without the X-Ray SDK. Powertools' tracer loads aws-xray-sdk-core (with
 * cls-hooked and semver): a third of a function's bundle and most of its init. This writes the
 * same documents Powertools and the SDK wrote, for what the mall uses of them:
 *   - a `## <handler>` subsegment per invocation under Lambda's own segment (the trace and
 *     parent from _X_AMZN_TRACE_ID), annotated ColdStart and Service, with the error if any;
 *   - a subsegment per AWS SDK call of a captured client (namespace aws: operation, region,
 *     request id, retries, table), and the call's X-Amzn-Trace-Id header;
 *   - putAnnotation on the invocation's subsegment.
 * Sent over UDP to the daemon (AWS_XRAY_DAEMON_ADDRESS) when the invocation ends. Responses are
 * never recorded (they carry tokens and personal data). Off outside Lambda (no AWS_EXECUTION_ENV),
 * under SAM CLI, with POWERTOOLS_TRACE_ENABLED=false, or when the request was not sampled.
 */

type Annotation = string | number | boolean;

interface Document {
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  [field: string]: unknown;
}

interface Invocation {
  traceId: string;
  parentId: string;
  handler: Document & { annotations: Record<string, Annotation>; subsegments: Document[] };
}

interface SdkResult {
  output?: { $metadata?: Metadata };
  response?: { statusCode?: number };
}

interface SdkClient {
  config: { serviceId?: string; region?: unknown };
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

const now = () => Date.now() / 1000;
const newId = () => randomBytes(8).toString('hex');
const header = (name: string) => new RegExp(`(?:^|;)${name}=([^;]+)`);

function exceptionOf(error: unknown) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { exceptions: [{ id: newId(), message: e.message, type: e.name }] };
}

export class Tracer {
  private readonly enabled: boolean;
  private readonly serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'service_undefined';
  private coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
  private current: Invocation | undefined;
  private socket: Socket | undefined;

  constructor() {
    const env = process.env;
    this.enabled =
      (env.AWS_EXECUTION_ENV ?? '') !== '' &&
      env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock' &&
      !env.AWS_SAM_LOCAL &&
      env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
  }

  isTracingEnabled(): boolean {
    return this.enabled;
  }

  /** Adds an annotation to the invocation's subsegment (searchable in X-Ray). */
  putAnnotation(key: string, value: Annotation): void {
    if (this.current) this.current.handler.annotations[key] = value;
  }

  /** Opens the invocation's `## <handler>` subsegment; nothing when off or not sampled. */
  startInvocation(): void {
    this.current = undefined;
    const trace = process.env._X_AMZN_TRACE_ID ?? '';
    const traceId = header('Root').exec(trace)?.[1];
    const parentId = header('Parent').exec(trace)?.[1];
    if (!this.enabled || !traceId || !parentId || header('Sampled').exec(trace)?.[1] !== '1') {
      this.coldStart = false;
      return;
    }
    this.current = {
      traceId,
      parentId,
      handler: { id: newId(), name: `## ${process.env._HANDLER}`, start_time: now(), annotations: {}, subsegments: [] },
    };
    this.putAnnotation('ColdStart', this.coldStart);
    this.putAnnotation('Service', this.serviceName);
    this.coldStart = false;
  }

  /** Closes the invocation's subsegment (with the error that ended it, if any) and sends it. */
  async endInvocation(error?: unknown): Promise<void> {
    const invocation = this.current;
    this.current = undefined;
    if (!invocation) return;
    const { handler } = invocation;
    handler.end_time = now();
    if (error !== undefined) Object.assign(handler, { fault: true, cause: exceptionOf(error) });
    if (!handler.subsegments.length) delete (handler as Partial<typeof handler>).subsegments;
    const document = { ...handler, trace_id: invocation.traceId, parent_id: invocation.parentId, type: 'subsegment' };
    await this.send(document).catch(() => undefined); // tracing never fails an invocation
  }

  /** Records every call of `client` as a subsegment of the invocation that makes it. */
  captureAWSv3Client<T>(client: T): T {
    if (!this.enabled) return client;
    const sdk = client as unknown as SdkClient;
    const subsegments = new WeakMap<object, { invocation: Invocation; subsegment: Document }>();
    sdk.middlewareStack.add(
      (next: (args: unknown) => Promise<SdkResult>, context: { commandName?: string }) =>
        async (args: { input?: { TableName?: string } }) => {
          const invocation = this.current;
          if (!invocation) return next(args);
          const subsegment: Document = { id: newId(), name: sdk.config.serviceId ?? 'AWS', start_time: now(), namespace: 'aws' };
          subsegments.set(context, { invocation, subsegment });
          const region = typeof sdk.config.region === 'function' ? await sdk.config.region() : sdk.config.region;
          const aws = { operation: (context.commandName ?? '').replace(/Command$/, ''), region, table_name: args.input?.TableName };
          try {
            const out = await next(args);
            subsegment.aws = { ...aws, ...metadataOf(out?.output?.$metadata) };
            subsegment.http = { response: { status: out?.response?.statusCode } };
            return out;
          } catch (error) {
            const meta = (error as { $metadata?: Metadata }).$metadata;
            const status = meta?.httpStatusCode;
            subsegment.aws = { ...aws, ...metadataOf(meta) };
            subsegment.http = { response: { status } };
            Object.assign(
              subsegment,
              status === 429 ? { throttle: true, error: true } : status && status < 500 ? { error: true } : { fault: true },
            );
            subsegment.cause = { exceptions: [{ ...exceptionOf(error).exceptions[0], remote: true }] };
            throw error;
          } finally {
            subsegment.end_time = now();
            invocation.handler.subsegments.push(subsegment);
          }
        },
      { step: 'initialize', name: 'mallXRayCapture', priority: 'high' },
    );
    sdk.middlewareStack.add(
      (next: (args: { request?: { headers?: Record<string, string> } }) => Promise<unknown>, context: object) =>
        (args: { request?: { headers?: Record<string, string> } }) => {
          const traced = subsegments.get(context);
          if (traced && args.request?.headers) {
            args.request.headers['X-Amzn-Trace-Id'] = `Root=${traced.invocation.traceId};Parent=${traced.subsegment.id};Sampled=1`;
          }
          return next(args);
        },
      { step: 'build', name: 'mallXRayTraceHeader' },
    );
    return client;
  }

  private send(document: object): Promise<void> {
    const [host, port] = daemonAddress();
    if (!this.socket) {
      this.socket = createSocket('udp4');
      this.socket.unref();
    }
    const message = Buffer.from(`{"format":"json","version":1}\n${JSON.stringify(document)}`);
    return new Promise((resolve, reject) => this.socket!.send(message, port, host, (e) => (e ? reject(e) : resolve())));
  }
}

interface Metadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

function metadataOf(meta: Metadata | undefined) {
  return { request_id: meta?.requestId, retries: meta?.attempts ? meta.attempts - 1 : 0 };
}

/** AWS_XRAY_DAEMON_ADDRESS: `host:port`, or `tcp:host:port udp:host:port`; 127.0.0.1:2000 by default. */
function daemonAddress(): [string, number] {
  const raw = process.env.AWS_XRAY_DAEMON_ADDRESS ?? '';
  const udp =
    raw
      .split(/\s+/)
      .find((part) => part.startsWith('udp:'))
      ?.slice(4) ?? (raw.includes('tcp:') ? '' : raw);
  const at = udp.lastIndexOf(':');
  return at > 0 ? [udp.slice(0, at), Number(udp.slice(at + 1))] : ['127.0.0.1', 2000];
}

/** Middy middleware: the invocation's `## <handler>` subsegment, as Powertools' captureLambdaHandler. */
export function captureLambdaHandler(tracer: Tracer): MiddlewareObj {
  return {
    before: () => tracer.startInvocation(),
    after: () => tracer.endInvocation(),
    onError: (request) => tracer.endInvocation(request.error ?? new Error('unknown error')),
  };
}
