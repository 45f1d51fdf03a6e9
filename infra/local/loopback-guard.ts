import type { IncomingMessage } from 'node:http';

/** The names a loopback server is reached by from this machine. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export const isLoopbackHost = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

/**
 * Why a request to a loopback-only server on `port` must be refused, if it must: a web page
 * on another origin (CSRF: its Origin, or the browser's Sec-Fetch-Site), or a page whose own
 * name was re-pointed at 127.0.0.1 (DNS rebinding: its Host is not a loopback name).
 * SDK clients, curl and the tests send neither Origin nor Sec-Fetch-Site, and a loopback Host.
 */
export function foreignRequest(req: IncomingMessage, port: number, { checkOrigin = true } = {}): string | undefined {
  const own = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!own.includes(host)) return `Host "${host}" is not this machine's loopback address (${own[0]})`;
  if (!checkOrigin) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some((o) => origin.toLowerCase() === `http://${o}`))
    return `requests from the web origin "${origin}" are refused`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site requests (Sec-Fetch-Site: ${site}) are refused`;
  return undefined;
}
