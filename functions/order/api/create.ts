import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { requireIntEnv } from '../../../shared/env';
import { badRequest } from '../../../shared/errors';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { metrics, tracer } from '../../../shared/powertools';
import { orderDeps } from '../dependencies';
import { createOrder } from '../order-service';
import { createRequest } from '../schemas';

const deps = orderDeps();
/** How long create waits for the saga's outcome (stage config orderCreateWaitMs). */
const waitMs = requireIntEnv('ORDER_CREATE_WAIT_MS');

export const handler = apiHandler(createRequest, async ({ input, caller, headers, correlationId }) => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !/^[A-Za-z0-9_.:-]{1,100}$/.test(key)) {
    throw badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 100 letters, digits or _ . : -');
  }
  const created = await createOrder(deps, requireCaller(caller), input, { idempotencyKey: key, correlationId, waitMs });
  metrics.addMetric('OrderCreated', MetricUnit.Count, 1);
  tracer.putAnnotation('orderId', created.id);
  return created;
});
