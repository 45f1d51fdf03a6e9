import { describe, expect, it } from 'vitest';
import { asAdmin, bearer, post, registerAndLogin, settledOrder } from './client';
import { awsEndpoint, eventsSettled, localSecret, xraySegments } from './local-cloud';

/**
 * What X-Ray would store. The functions' own X-Ray SDK sends its segments to the local cloud's
 * daemon as it does in Lambda; whatever lands there is readable, on AWS, by anyone with
 * read-only access to the account. None of it may carry a secret or a shopper's personal data.
 */
describe.skipIf(!awsEndpoint)('X-Ray traces', () => {
  it('record the login, userinfo, order and payment paths without a token, password, key, signature or mobile', async () => {
    const admin = await asAdmin();
    const user = await registerAndLogin('Traced');
    const info = await post('/api/user/userinfo', {}, bearer(user.token));
    expect(info.body.mobile).toBe(user.mobile);
    const pid = (
      await post('/api/product/create', { name: 'Traced item', stock: 5, amount: 700, status: 1, category: `traces-${Date.now()}` }, admin)
    ).body.id;
    const order = await settledOrder(user.token, (await post('/api/order/create', { pid, num: 1 }, bearer(user.token))).body.id);
    expect((await post('/api/order/detail', { id: order.id }, bearer(user.token))).status).toBe(200);
    const pay = await post('/api/pay/create', { oid: order.id, amount: order.amount }, bearer(user.token));
    const paid = await post(
      '/api/pay/callback',
      { id: pay.body.id, uid: user.id, oid: order.id, amount: order.amount, source: 1, status: 1 },
      bearer(user.token),
    );
    expect(paid.body.state).toBe('paid');
    await eventsSettled();

    const segments = await xraySegments();
    const text = JSON.stringify(segments);
    // The traces are really there: each path's handler subsegment, with the mall's annotations.
    const handlers = segments.filter((s) => String(s.name).startsWith('## '));
    const annotated = (key: string) => handlers.filter((s) => (s.annotations as Record<string, unknown> | undefined)?.[key] !== undefined);
    expect(handlers.length).toBeGreaterThan(10);
    expect(annotated('correlationId').length).toBeGreaterThan(4);
    expect(annotated('uid').some((s) => (s.annotations as Record<string, unknown>).uid === user.id)).toBe(true);
    expect(annotated('sagaStep').some((s) => (s.annotations as Record<string, unknown>).orderId === order.id)).toBe(true);
    expect(text).toContain('ColdStart');

    const secrets = {
      'an access token': user.token,
      'a password': user.password,
      "the user's mobile": user.mobile,
      'the token signing key': await localSecret('JwtSigningSecret'),
      "the payment provider's key": await localSecret('PaymentsCallbackSecret'),
    };
    for (const [what, value] of Object.entries(secrets)) expect(text.includes(value), `${what} is in a trace`).toBe(false);
    // No JWT of anyone, and no signature.
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/);
    expect(text.toLowerCase()).not.toContain('signature');
  });
});
