import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AwsCall, accessKeyIn } from './aws-call';
import { foreignRequest } from './loopback-guard';

/**
 * The local cloud's AWS endpoint. Functions reach it through the standard AWS_ENDPOINT_URL
 * variables, so their SDK clients work unchanged. It listens on loopback only, on its own
 * port, so the public API port never exposes secrets or control operations. A request from a
 * web page (another Origin, or a DNS-rebound Host name) is refused: see loopback-guard.ts.
 *
 * JSON-protocol services (Secrets Manager today; Step Functions and EventBridge later) are
 * routed by their X-Amz-Target header; REST-protocol operations by method and path.
 */
export type JsonOperation = (input: any) => Promise<unknown> | unknown;
export type RestOperation = (
  match: RegExpExecArray,
  body: unknown,
) => Promise<{ status: number; body?: unknown; headers?: Record<string, string>; html?: string; raw?: Buffer }>;

export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class LocalAwsEndpoint {
  /** Refuses a call its caller may not make (throws AwsServiceError); set by the local IAM. */
  authorize: (call: AwsCall) => void = () => {};
  private readonly json = new Map<string, JsonOperation>();
  private readonly rest: Array<{ method: string; path: RegExp; operation: RestOperation }> = [];
  private server: Server | undefined;
  url = '';

  /** e.g. onTarget('secretsmanager.GetSecretValue', ...) */
  onTarget(target: string, operation: JsonOperation): this {
    this.json.set(target, operation);
    return this;
  }

  onRest(method: string, path: RegExp, operation: RestOperation): this {
    this.rest.push({ method, path, operation });
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const foreign = foreignRequest(req, (this.server!.address() as AddressInfo).port);
    if (foreign) {
      req.resume();
      res
        .writeHead(403, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ForeignRequestRefused' })
        .end(JSON.stringify({ __type: 'ForeignRequestRefused', message: `the local cloud's loopback endpoint: ${foreign}` }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? safeJson(text) : {};
    const target = req.headers['x-amz-target'];
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      this.authorize({
        accessKey: accessKeyIn(req.headers.authorization),
        ...(typeof target === 'string' ? { target } : {}),
        method: req.method ?? 'GET',
        path,
        body,
      });
      if (typeof target === 'string') {
        const operation = this.json.get(target);
        if (!operation) throw new AwsServiceError('UnknownOperationException', `the local cloud does not implement ${target}`);
        const out = await operation(body);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out ?? {}));
        return;
      }
      for (const route of this.rest) {
        const match = route.method === req.method ? route.path.exec(path) : null;
        if (match) {
          const out = await route.operation(match, body);
          if (out.raw !== undefined) {
            res.writeHead(out.status, out.headers).end(out.raw);
            return;
          }
          if (out.html !== undefined) {
            res.writeHead(out.status, { 'content-type': 'text/html; charset=utf-8' }).end(out.html);
            return;
          }
          res
            .writeHead(out.status, { 'content-type': 'application/json', ...out.headers })
            .end(out.body === undefined ? '' : JSON.stringify(out.body));
          return;
        }
      }
      throw new AwsServiceError('UnknownOperationException', `the local cloud does not implement ${req.method} ${path}`, 404);
    } catch (error) {
      const known = error instanceof AwsServiceError;
      if (!known) console.error('local AWS endpoint failed', error);
      const type = known ? error.type : 'InternalFailure';
      res
        .writeHead(known ? error.status : 500, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type })
        .end(JSON.stringify({ __type: type, message: error instanceof Error ? error.message : String(error) }));
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
