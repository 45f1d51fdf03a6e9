import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** One document the X-Ray SDK sent: a segment or subsegment, with its annotations and metadata. */
export type SegmentDocument = Record<string, unknown> & { trace_id?: string; name?: string };

const MAX_DOCUMENTS = 20_000;

/**
 * The local X-Ray daemon: the functions' own X-Ray SDK (under Powertools' tracer) sends what it
 * records over UDP, exactly as it does to the daemon in Lambda, and this keeps every document,
 * so a test can read what X-Ray would store: annotations, metadata, captured responses, errors.
 */
export class LocalXRayDaemon {
  readonly documents: SegmentDocument[] = [];
  private socket: Socket | undefined;

  /** Listens on loopback; answers the address for AWS_XRAY_DAEMON_ADDRESS. */
  async start(): Promise<string> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (message) => {
      // {"format": "json", "version": 1}\n<segment document>
      const body = message.toString('utf8');
      try {
        this.documents.push(JSON.parse(body.slice(body.indexOf('\n') + 1)));
      } catch {
        return;
      }
      if (this.documents.length > MAX_DOCUMENTS) this.documents.splice(0, this.documents.length - MAX_DOCUMENTS);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(socket.address() as AddressInfo).port}`;
  }

  /** The documents of one trace (`Root=1-...` or `1-...`), or all. */
  segments(traceId?: string): SegmentDocument[] {
    const id = traceId?.replace(/^Root=/, '');
    return id ? this.documents.filter((d) => d.trace_id === id) : [...this.documents];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }
}
