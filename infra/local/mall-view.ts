import type { LocalAwsEndpoint } from './aws-services';
import { consolePage, executionHistories, metricsTable, serveMetrics, traceTables } from './console';
import type { LocalStepFunctions } from './step-functions';
import type { Correlation, CorrelationKey, LocalTelemetry, Span } from './telemetry';

/**
 * The mall's view of the local cloud, the one place in infra/local/ that knows the mall: its
 * spans are correlated by order id, and its console is about orders. The generic services
 * (API Gateway, Lambda, EventBridge, Step Functions, telemetry) get it through the Correlation
 * they are wired with (cloud.ts).
 *   GET /_console                   recent orders and all metrics
 *   GET /_console/order/<id>        one order: its traces and its saga executions' histories
 *   GET /_local/traces/order/<id>   the order's spans, as JSON
 *   GET /_local/metrics             the metrics, as JSON
 */

const SITE = 'serverless mall, local console';

/** Where an order id appears: saga input, event detail, and the reply to /api/order/create. */
export const orderCorrelation: Correlation = {
  inPayload(payload) {
    const p = payload as { orderId?: unknown; detail?: { orderId?: unknown } } | null;
    const id = p?.orderId ?? p?.detail?.orderId;
    return typeof id === 'number' ? id : undefined;
  },
  inApiExchange({ path, status, body }) {
    if (path !== '/api/order/create' || status !== 200) return undefined;
    return safeJson(body)?.id || undefined;
  },
};

/** The sagas' executions of an order: their names start with its saga's kind and the order id. */
const ofOrder = (orderId: number) => new RegExp(`^(order|cancel|timeout|repair)-${orderId}(-|$)`);

export function serveMallView(aws: LocalAwsEndpoint, telemetry: LocalTelemetry, stepFunctions: LocalStepFunctions): void {
  serveMetrics(aws, telemetry);
  aws
    .onRest('GET', /^\/_local\/traces\/order\/(\d+)$/, async (m) => ({ status: 200, body: orderSpans(telemetry, Number(m[1])) }))
    .onRest('GET', /^\/_console\/?$/, async () => ({ status: 200, html: home(telemetry) }))
    .onRest('GET', /^\/_console\/order\/(\d+)$/, async (m) => ({ status: 200, html: orderPage(Number(m[1]), telemetry, stepFunctions) }));
}

/** Every span of every trace that touched the order, its correlation key shown as `orderId`. */
function orderSpans(telemetry: LocalTelemetry, orderId: number): Array<Omit<Span, 'key'> & { orderId?: CorrelationKey }> {
  return telemetry.correlated(orderId).map(({ key, ...span }) => ({ ...span, ...(key !== undefined ? { orderId: key } : {}) }));
}

function home(telemetry: LocalTelemetry): string {
  const orders = telemetry.recentKeys();
  return consolePage(
    SITE,
    'Recent orders',
    `${orders.length ? `<ul>${orders.map((id) => `<li><a href="/_console/order/${id}">order ${id}</a></li>`).join('')}</ul>` : '<p>No orders yet.</p>'}
<h2>Metrics (since start)</h2>
${metricsTable(telemetry)}`,
  );
}

function orderPage(orderId: number, telemetry: LocalTelemetry, stepFunctions: LocalStepFunctions): string {
  const traces = traceTables(telemetry.correlated(orderId));
  const histories = executionHistories([...stepFunctions.executions.values()].filter((e) => ofOrder(orderId).test(e.name)));
  return consolePage(
    SITE,
    `Order ${orderId}`,
    `<h2>Traces</h2>${traces || '<p>No spans recorded for this order.</p>'}<h2>Saga executions</h2>${histories || '<p>None.</p>'}`,
  );
}

function safeJson(body: string | Buffer): any {
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
}
