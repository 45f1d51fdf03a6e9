import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOTIFY_TOLERANCE_SECONDS, signNotification } from '../../functions/pay/notify-signature';

// The provider's notification through its real handler (apiHandler included): the signature, its
// time and the keys of a rotation are checked on the body as sent. Only the key's source and the
// payment service behind the check are stood in for.
const stand = vi.hoisted(() => ({ secret: '', handled: [] as unknown[] }));
vi.mock('../../shared/secrets', () => ({ getSecret: async () => stand.secret }));
vi.mock('../../functions/pay/pay-service', () => ({
  handleCallback: async (_repo: unknown, _bus: unknown, input: { id: number }) => {
    stand.handled.push(input);
    return { id: input.id, state: 'paid' };
  },
}));

const CURRENT = 'current-key-0123456789';
const PREVIOUS = 'previous-key-0123456789';
const body = JSON.stringify({ id: 7, uid: 2, oid: 3, amount: 3000, source: 1, status: 1 });
const now = () => Math.floor(Date.now() / 1000);

let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<{ statusCode: number; body: string }>;
async function notify(rawBody: string, headers: Record<string, string>) {
  const event = { httpMethod: 'POST', resource: '/api/pay/notify', body: rawBody, headers, requestContext: { requestId: 'r' } };
  const reply = await handler(event as unknown as APIGatewayProxyEvent, { functionName: 'notify', awsRequestId: 'r' } as Context);
  return { status: reply.statusCode, code: JSON.parse(reply.body).code as string | undefined };
}

beforeAll(async () => {
  Object.assign(process.env, {
    ROUTE_ACCESS: 'public',
    PAY_CALLBACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:provider-key',
    PAYMENT_TABLE: 'unused',
    EVENT_BUS_NAME: 'unused',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_NAMESPACE: 'test',
  });
  ({ handler } = await import('../../functions/pay/api/notify'));
});

beforeEach(() => {
  stand.secret = CURRENT; // the key alone, as Secrets Manager generates it
  stand.handled = [];
});

describe('the payment notification', () => {
  it('answers 401, not 400, to a bad signature on a body that is not JSON: nothing is parsed before the check', async () => {
    for (const headers of [{}, signNotification('{not json', 'not-the-key'), { 'x-mall-signature': 'sha256=00' }]) {
      expect(await notify('{not json', headers), JSON.stringify(headers)).toEqual({ status: 401, code: 'BAD_SIGNATURE' });
    }
    // Signed, it gets as far as the parser.
    expect(await notify('{not json', signNotification('{not json', CURRENT))).toEqual({ status: 400, code: 'MALFORMED_JSON' });
    expect(stand.handled).toEqual([]);
  });

  it('refuses a correctly signed notification whose time is more than 5 minutes away', async () => {
    const late = now() - NOTIFY_TOLERANCE_SECONDS - 5;
    expect(await notify(body, signNotification(body, CURRENT, late))).toEqual({ status: 401, code: 'STALE_NOTIFICATION' });
    expect(await notify(body, signNotification(body, CURRENT, now() + NOTIFY_TOLERANCE_SECONDS + 5))).toMatchObject({
      code: 'STALE_NOTIFICATION',
    });
    // The time is signed: moved forward without the key, the signature no longer holds.
    const moved = { ...signNotification(body, CURRENT, late), 'x-mall-timestamp': String(now()) };
    expect(await notify(body, moved)).toEqual({ status: 401, code: 'BAD_SIGNATURE' });
    expect(stand.handled).toEqual([]);
    expect(await notify(body, signNotification(body, CURRENT, now() - NOTIFY_TOLERANCE_SECONDS + 5))).toEqual({
      status: 200,
      code: undefined,
    });
  });

  it('accepts the previous key during a rotation, as well as the current one', async () => {
    stand.secret = JSON.stringify({ current: CURRENT, previous: PREVIOUS });
    expect(await notify(body, signNotification(body, PREVIOUS))).toEqual({ status: 200, code: undefined });
    expect(await notify(body, signNotification(body, CURRENT))).toEqual({ status: 200, code: undefined });
    expect(stand.handled).toHaveLength(2);
    // Once the rotation is over, the previous key is refused.
    stand.secret = JSON.stringify({ current: CURRENT });
    expect(await notify(body, signNotification(body, PREVIOUS))).toEqual({ status: 401, code: 'BAD_SIGNATURE' });
  });

  it('refuses a notification signed with a key that is neither current nor previous', async () => {
    stand.secret = JSON.stringify({ current: CURRENT, previous: PREVIOUS });
    const signedAt = now();
    expect(await notify(body, signNotification(body, 'unknown-key-0123456789', signedAt))).toEqual({ status: 401, code: 'BAD_SIGNATURE' });
    expect(stand.handled).toEqual([]);
    // The same notification at the same time, with a key of the rotation: only the key differed.
    expect(await notify(body, signNotification(body, CURRENT, signedAt))).toEqual({ status: 200, code: undefined });
  });
});
