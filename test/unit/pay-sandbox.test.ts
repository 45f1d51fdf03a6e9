import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

// The user-token callback outside sandbox: refused before anything is read or written.
describe('pay callback outside sandbox mode', () => {
  it('answers 403 SANDBOX_DISABLED, so nobody marks an order paid with a user token', async () => {
    Object.assign(process.env, {
      ROUTE_ACCESS: 'user',
      PAY_SANDBOX: 'false',
      PAYMENT_TABLE: 'unused',
      EVENT_BUS_NAME: 'unused',
      AWS_REGION: 'us-east-1',
    });
    const { handler } = await import('../../functions/pay/api/callback');
    const event = {
      httpMethod: 'POST',
      body: JSON.stringify({ id: 1, uid: 2, oid: 3, amount: 100, source: 1, status: 1 }),
      headers: {},
      requestContext: { authorizer: { uid: '2', role: 'user', name: 'x', jti: 'j', exp: '0' } },
    } as unknown as APIGatewayProxyEvent;
    const reply = await handler(event, { functionName: 'callback', awsRequestId: 'r' } as Context);
    expect(reply.statusCode).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'SANDBOX_DISABLED' });
  });
});
