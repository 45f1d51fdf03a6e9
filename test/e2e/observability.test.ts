import { beforeAll, describe, expect, it } from 'vitest';
import { signNotification } from '../../functions/pay/notify-signature';
import { asAdmin, bearer, post, registerAndLogin, settledOrder, uniqueMobile } from './client';
import { awsEndpoint, eventsSettled, functionLogs, localMetrics, localSecret, orderSpans } from './local-cloud';

// What a developer sees locally: metrics, traces and logs of the local cloud.
describe.skipIf(!awsEndpoint)('observability in the local cloud', () => {
  let admin: Record<string, string>;

  beforeAll(async () => {
    admin = await asAdmin();
  });

  const sum = (metrics: Awaited<ReturnType<typeof localMetrics>>, name: string, dims: Record<string, string> = {}) =>
    metrics.filter((m) => m.name === name && Object.entries(dims).every(([k, v]) => m.dimensions[k] === v)).reduce((n, m) => n + m.sum, 0);

  it('emits the business metrics, with the right names, for real orders', async () => {
    const before = await localMetrics();
    const user = await registerAndLogin();
    const pid = (await post('/api/product/create', { name: 'Metered', stock: 1, amount: 500, status: 1 }, admin)).body.id;
    const placed = await settledOrder(user.token, (await post('/api/order/create', { pid }, bearer(user.token))).body.id);
    const refused = await settledOrder(user.token, (await post('/api/order/create', { pid }, bearer(user.token))).body.id);
    expect([placed.state, refused.reason]).toEqual(['awaiting_payment', 'INSUFFICIENT_STOCK']);
    await post(
      '/api/pay/callback',
      { id: placed.payment_id, uid: user.id, oid: placed.id, amount: 500, source: 1, status: 1 },
      bearer(user.token),
    );
    await eventsSettled();
    const after = await localMetrics();
    const grew = (name: string, dims?: Record<string, string>) => sum(after, name, dims) - sum(before, name, dims);
    expect(grew('OrderCreated', { service: 'order' })).toBeGreaterThanOrEqual(2);
    expect(grew('OrderCancelled', { reason: 'INSUFFICIENT_STOCK' })).toBeGreaterThanOrEqual(1);
    expect(grew('CompensationRun', { step: 'ReleaseStock' })).toBeGreaterThanOrEqual(1);
    expect(grew('PaymentSucceeded', { service: 'pay' })).toBeGreaterThanOrEqual(1);
  });

  it("follows one order's trace from the HTTP request through the saga steps, and the payment event to its consumers", async () => {
    const user = await registerAndLogin();
    const pid = (await post('/api/product/create', { name: 'Traced', stock: 5, amount: 700, status: 1 }, admin)).body.id;
    const order = await settledOrder(user.token, (await post('/api/order/create', { pid }, bearer(user.token))).body.id);
    await post(
      '/api/pay/callback',
      { id: order.payment_id, uid: user.id, oid: order.id, amount: 700, source: 1, status: 1 },
      bearer(user.token),
    );
    await eventsSettled();
    const spans = await orderSpans(order.id);
    const creation = spans.find((s) => s.name === 'POST /api/order/create')!;
    const sameTrace = spans.filter((s) => s.traceId === creation.traceId).map((s) => s.name);
    expect(sameTrace).toEqual(
      expect.arrayContaining([
        'POST /api/order/create',
        'Orders/Create',
        'Orders/OpenOrder',
        'Products/ReserveStock',
        'Payments/CreatePayment',
        'Orders/MarkAwaitingPayment',
      ]),
    );
    const payment = spans.find((s) => s.name === 'POST /api/pay/callback')!;
    const paymentTrace = spans.filter((s) => s.traceId === payment.traceId).map((s) => s.name);
    expect(paymentTrace).toEqual(
      expect.arrayContaining([
        'Payments/Callback',
        'mall.pay PaymentSucceeded',
        'Orders/OnPaymentSucceeded',
        'Products/OnPaymentSucceeded',
      ]),
    );
  });

  it('carries a correlation id from the API request into the saga steps and the event consumers', async () => {
    const user = await registerAndLogin();
    const pid = (await post('/api/product/create', { name: 'Correlated', stock: 5, amount: 300, status: 1 }, admin)).body.id;
    const correlation = `order-flow-${uniqueMobile()}`;
    const created = await post('/api/order/create', { pid }, { ...bearer(user.token), 'X-Correlation-Id': correlation });
    const order = await settledOrder(user.token, created.body.id);
    const paying = `pay-flow-${uniqueMobile()}`;
    await post(
      '/api/pay/callback',
      { id: order.payment_id, uid: user.id, oid: order.id, amount: 300, source: 1, status: 1 },
      { ...bearer(user.token), 'X-Correlation-Id': paying },
    );
    await eventsSettled();
    const lines = await functionLogs();
    const loggedBy = (id: string) =>
      new Set(lines.filter((l) => l.includes(`"correlation_id":"${id}"`)).map((l) => l.split(' ')[0]!.split('/').slice(1).join('/')));
    expect([...loggedBy(correlation)]).toEqual(
      expect.arrayContaining(['Orders/Create', 'Orders/OpenOrder', 'Products/ReserveStock', 'Orders/MarkAwaitingPayment']),
    );
    expect([...loggedBy(paying)]).toEqual(
      expect.arrayContaining(['Payments/Callback', 'Orders/OnPaymentSucceeded', 'Products/OnPaymentSucceeded']),
    );
  });

  it('never logs passwords, tokens, signatures or keys on the login and payment paths', async () => {
    const password = `Pw-${uniqueMobile()}-secret`;
    const mobile = uniqueMobile();
    await post('/api/user/register', { name: 'Quiet', gender: 1, mobile, password });
    const token = (await post('/api/user/login', { mobile, password })).body.accessToken as string;
    await post('/api/user/login', { mobile, password: `${password}-wrong` });
    const pid = (await post('/api/product/create', { name: 'Quiet item', stock: 5, amount: 900, status: 1 }, admin)).body.id;
    const order = await settledOrder(token, (await post('/api/order/create', { pid }, bearer(token))).body.id);
    const key = await localSecret('PaymentsCallbackSecret');
    const body = JSON.stringify({ id: order.payment_id, uid: order.uid, oid: order.id, amount: 900, source: 1, status: 1 });
    const headers = signNotification(body, key);
    const signature = headers['x-mall-signature']!.replace('sha256=', '');
    expect((await post('/api/pay/notify', body, headers)).body.state).toBe('paid');
    await eventsSettled();
    const logs = (await functionLogs()).join('\n');
    expect(logs).toContain('LoginSucceeded'); // the logs are there...
    for (const secret of [password, token, token.split('.')[2]!, signature, key, await localSecret('JwtSigningSecret')]) {
      expect(logs.includes(secret), `a secret of length ${secret.length} appears in the logs`).toBe(false); // ...without secrets
    }
  });
});
