import { forbidden } from '../../../shared/errors';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { eventBusName, paymentRepository } from '../dependencies';
import { handleCallback } from '../pay-service';
import { callbackRequest } from '../schemas';

const repo = paymentRepository();
const bus = eventBusName();
const sandbox = process.env.PAY_SANDBOX === 'true';

/**
 * go-zero-mall's callback, called with the user's own token. Only in sandbox mode (deployed
 * only with MALL_PAY_SANDBOX=1; the local cloud sets it), and only for the caller's own payment: outside sandbox,
 * nobody marks an order paid without the provider's signed notification (notify.ts).
 */
export const handler = apiHandler(callbackRequest, async ({ input, caller, correlationId }) => {
  if (!sandbox) throw forbidden('SANDBOX_DISABLED', 'this stage accepts only signed payment notifications');
  return handleCallback(repo, bus, input, requireCaller(caller), correlationId);
});
