import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { LocalAwsEndpoint } from './aws-services';
import type { ExecutionRecord } from './step-functions';
import type { LocalTelemetry, Span } from './telemetry';

/**
 * The local console's building blocks, on the loopback endpoint: what X-Ray, the Step Functions
 * console and CloudWatch metrics show on AWS. Traces across API -> functions -> state machine
 * steps -> event consumers with timings, executions' histories, and the metrics. What the pages
 * are about (the mall's orders) is the deployment's view: mall-view.ts.
 *   GET /_local/metrics             the metrics, as JSON
 */
export function serveMetrics(aws: LocalAwsEndpoint, telemetry: LocalTelemetry): void {
  aws.onRest('GET', /^\/_local\/metrics$/, async () => ({ status: 200, body: telemetry.metrics() }));
}

/** Swagger UI (swagger-ui-dist) over the OpenAPI document, at /_docs/, as seed 003's gateway offers it. */
export function serveApiDocs(aws: LocalAwsEndpoint, document: object, title: string): void {
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const index = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/_docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/_docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/_docs/openapi.json', dom_id: '#ui' });</script></body></html>`;
  aws
    .onRest('GET', /^\/_docs\/?$/, async () => ({ status: 200, html: index }))
    .onRest('GET', /^\/_docs\/openapi\.json$/, async () => ({ status: 200, body: document }))
    .onRest('GET', /^\/_docs\/(swagger-ui\.css|swagger-ui-bundle\.js)$/, async (m) => ({
      status: 200,
      raw: fs.readFileSync(path.join(dist, m[1]!)),
      headers: { 'content-type': m[1]!.endsWith('.css') ? 'text/css' : 'text/javascript' },
    }));
}

export const escapeHtml = (text: unknown) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A console page; `site` names the console in the link back to its home page. */
export const consolePage = (
  site: string,
  title: string,
  body: string,
) => `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.bar{background:#4a90d9;height:10px;display:inline-block}.fail{color:#c0392b}.kind{color:#777}code{font-size:12px}</style></head>
<body><p><a href="/_console">${escapeHtml(site)}</a></p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/** Every metric since start, as a table. */
export function metricsTable(telemetry: LocalTelemetry): string {
  return `<table><tr><th>namespace</th><th>metric</th><th>dimensions</th><th>sum</th><th>samples</th></tr>
${telemetry
  .metrics()
  .map(
    (m) =>
      `<tr><td>${escapeHtml(m.namespace)}</td><td>${escapeHtml(m.name)}</td><td><code>${escapeHtml(JSON.stringify(m.dimensions))}</code></td><td>${m.sum}</td><td>${m.count}</td></tr>`,
  )
  .join('')}</table>`;
}

/** One table per trace: each span's start and duration, drawn as a bar on the trace's timeline. */
export function traceTables(spans: Span[]): string {
  const traces = new Map<string, Span[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return [...traces]
    .map(([traceId, list]) => {
      const t0 = list[0]!.start;
      const total = Math.max(1, ...list.map((s) => s.start + s.ms - t0));
      const rows = list
        .map(
          (s) => `<tr class="${s.ok ? '' : 'fail'}"><td>+${s.start - t0} ms</td><td>${s.ms} ms</td>
<td><span class="bar" style="margin-left:${(300 * (s.start - t0)) / total}px;width:${Math.max(2, (300 * s.ms) / total)}px"></span></td>
<td class="kind">${s.kind}</td><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`,
        )
        .join('');
      return `<h3>trace <code>${escapeHtml(traceId)}</code></h3><table><tr><th>start</th><th>took</th><th></th><th>kind</th><th>what</th><th></th></tr>${rows}</table>`;
    })
    .join('');
}

/** Each execution's state transitions, failures, retries and catches, as the Step Functions console lists them. */
export function executionHistories(executions: ExecutionRecord[]): string {
  return executions
    .map((e) => {
      const rows = e.events
        .filter((ev) => ['StateEntered', 'StateExited', 'StateFailed', 'StateRetried', 'StateCaught'].includes(String(ev.type)))
        .map(
          (ev: any) =>
            `<tr><td>+${Number(ev.timestamp) - e.startDate} ms</td><td>${escapeHtml(ev.type)}</td><td>${escapeHtml(ev.state?.name ?? '')}</td><td><code>${escapeHtml(ev.Error ?? '')}</code></td></tr>`,
        )
        .join('');
      return `<h3>${escapeHtml(e.name)}: ${escapeHtml(e.status)}${e.error ? ` (${escapeHtml(e.error)})` : ''}</h3><table>${rows}</table>`;
    })
    .join('');
}
