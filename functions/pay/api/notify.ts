import { createHmac, timingSafeEqual } from 'node:crypto';
import { requireEnv } from '../../../shared/env';
import { unauthorized } from '../../../shared/errors';
import { apiHandler } from '../../../shared/handlers/api';
import { getSecret } from '../../../shared/secrets';
import { eventBusName, paymentRepository } from '../dependencies';
import { handleCallback } from '../pay-service';
import { callbackRequest } from '../schemas';

const repo = paymentRepository();
const bus = eventBusName();
const secretArn = requireEnv('PAY_CALLBACK_SECRET_ARN');

/**
 * The payment provider's notification: the callback's body, signed. The header
 * `X-Mall-Signature: sha256=<hex HMAC-SHA256 of the raw body>` is checked, in constant time,
 * with the key kept in Secrets Manager, before anything else.
 */
export const handler = apiHandler(callbackRequest, async ({ input, headers, rawBody, correlationId }) => {
  const header = headers['x-mall-signature'] ?? '';
  const sent = Buffer.from(header.replace(/^sha256=/, ''), 'hex');
  const expected = createHmac('sha256', await getSecret(secretArn))
    .update(rawBody)
    .digest();
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw unauthorized('BAD_SIGNATURE', 'the notification is not signed with the provider key');
  }
  return handleCallback(repo, bus, input, undefined, correlationId);
});
