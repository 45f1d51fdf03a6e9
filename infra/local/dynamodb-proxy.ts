import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { foreignRequest } from './loopback-guard';

/** An answer a proxy gives instead of passing the request on. */
export interface ProxyRefusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A loopback HTTP proxy in front of DynamoDB (Local): `inspect` sees each request's operation
 * (from X-Amz-Target) and body, and may answer it itself; otherwise the request goes upstream,
 * with the upstream's own Host (DynamoDB Local refuses any other). Like DynamoDB Local itself,
 * it refuses web pages (another origin, or a rebound name: loopback-guard.ts).
 */
export class DynamoDbProxy {
  private server: Server | undefined;

  constructor(
    private readonly upstream: string,
    private readonly inspect: (operation: string, body: Buffer, req: IncomingMessage) => ProxyRefusal | undefined,
  ) {}

  /** Answers the proxy's endpoint. */
  async start(): Promise<string> {
    const target = new URL(this.upstream);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const foreign = foreignRequest(req, (this.server!.address() as AddressInfo).port);
        if (foreign) {
          res
            .writeHead(403, { 'content-type': 'application/x-amz-json-1.0' })
            .end(JSON.stringify({ __type: 'ForeignRequestRefused', message: foreign }));
          return;
        }
        const refusal = this.inspect(
          String(req.headers['x-amz-target'] ?? '')
            .split('.')
            .pop() ?? '',
          body,
          req,
        );
        if (refusal) {
          res.writeHead(refusal.status, refusal.headers).end(refusal.body);
          return;
        }
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
