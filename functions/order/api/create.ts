import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { badRequest } from '../../../shared/errors';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { metrics, tracer } from '../../../shared/powertools';
import { orderDeps } from '../dependencies';
import { createOrder } from '../order-service';
import { createRequest } from '../schemas';

const deps = orderDeps();

export const handler = apiHandler(createRequest, async ({ input, caller, headers, correlationId }) => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !/^[A-Za-z0-9_.:-]{1,100}$/.test(key)) {
    throw badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 100 letters, digits or _ . : -');
  }
  const created = await createOrder(deps, requireCaller(caller), input, key, correlationId);
  metrics.addMetric('OrderCreated', MetricUnit.Count, 1);
  tracer.putAnnotation('orderId', created.id);
  return created;
});
