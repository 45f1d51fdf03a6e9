import { requireEnv } from '../../../shared/env';
import { apiHandler } from '../../../shared/handlers/api';
import { getSecret } from '../../../shared/secrets';
import { eventBusName, paymentRepository } from '../dependencies';
import { notifyKeysOf, verifyNotification } from '../notify-signature';
import { handleCallback } from '../pay-service';
import { callbackRequest } from '../schemas';

const repo = paymentRepository();
const bus = eventBusName();
const secretArn = requireEnv('PAY_CALLBACK_SECRET_ARN');
/** A rotated provider key reaches warm containers within this time. */
const KEY_MAX_AGE_MS = 5 * 60_000;

/**
 * The payment provider's notification: the callback's body, signed with a timestamp
 * (notify-signature.ts) by the provider key in Secrets Manager, current or previous. The
 * signature is checked on the body as sent, before it is parsed.
 */
export const handler = apiHandler(
  callbackRequest,
  async ({ input, correlationId }) => handleCallback(repo, bus, input, undefined, correlationId),
  {
    verifyRaw: async ({ headers, rawBody }) =>
      verifyNotification(headers, rawBody, notifyKeysOf(await getSecret(secretArn, KEY_MAX_AGE_MS))),
  },
);
