import type { IncomingMessage } from 'node:http';
import type { HttpAnswer } from './api-proxy';
import type { PreflightSpec } from './template';

/**
 * CORS as API Gateway answers it from the template: each OPTIONS method's MOCK integration
 * response (its static header values, and the mapping template's header overrides), and the
 * headers of gateway responses (ResponseParameters: a static value or a request header).
 */
export class LocalPreflights {
  private readonly byPath: Map<string, PreflightSpec & { overrides: Override[] }>;

  constructor(specs: PreflightSpec[]) {
    this.byPath = new Map(specs.map((spec) => [spec.path, { ...spec, overrides: overridesIn(spec) }]));
  }

  /** The preflight's answer, or undefined when the resource has no OPTIONS method. */
  answer(pathname: string, req: IncomingMessage): HttpAnswer | undefined {
    const spec = this.byPath.get(pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname);
    if (!spec) return undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [key, value] of Object.entries(spec.parameters)) {
      const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      const literal = /^'(.*)'$/s.exec(value)?.[1];
      if (!name || literal === undefined) throw new Error(`preflight ${spec.path}: unsupported response parameter ${key}=${value}`);
      headers[name.toLowerCase()] = literal;
    }
    const origin = requestHeader(req, 'origin') ?? '';
    for (const { header, origins } of spec.overrides) if (origins.includes(origin)) headers[header.toLowerCase()] = origin;
    return { statusCode: spec.statusCode, headers, body: '' };
  }
}

/** A header set to the request's Origin when it is one of `origins`. */
interface Override {
  header: string;
  origins: string[];
}

/**
 * The overrides of CDK's preflight template for several origins:
 *   #if($origin == "https://a" || $origin == "https://b")
 *     #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)
 *   #end
 * Any other use of responseOverride is refused rather than ignored.
 */
function overridesIn(spec: PreflightSpec): Override[] {
  const template = spec.template ?? '';
  const pattern = /#if\(([^\n]*)\)\s*#set\(\$context\.responseOverride\.header\.([\w-]+) = \$origin\)\s*#end/g;
  const overrides = [...template.matchAll(pattern)].map((m) => ({
    header: m[2]!,
    origins: [...m[1]!.matchAll(/\$origin == "([^"]*)"/g)].map((o) => o[1]!),
  }));
  if (template.split('responseOverride').length - 1 !== overrides.length)
    throw new Error(`preflight ${spec.path}: the local cloud does not understand its response template:\n${template}`);
  return overrides;
}

/** A gateway response's headers: 'static' values, or method.request.header.<name> from the request (omitted when absent). */
export function gatewayResponseHeaders(parameters: Record<string, string>, req: IncomingMessage | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    if (!name) continue;
    const literal = /^'(.*)'$/s.exec(value)?.[1];
    const fromRequest = /^method\.request\.header\.(.+)$/.exec(value)?.[1];
    const resolved = literal ?? (fromRequest && req ? requestHeader(req, fromRequest) : undefined);
    if (resolved) headers[name.toLowerCase()] = resolved;
  }
  return headers;
}

function requestHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
