import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sagaStep } from '../../../shared/handlers/saga-step';
import { metrics } from '../../../shared/powertools';
import { gidOf } from '../../../shared/saga';
import { orderSagaRepository } from '../dependencies';
import { cancelOrderStep } from '../order-saga-service';

const orders = orderSagaRepository();

/** Compensation CancelOrder, last of the compensations: the order ends cancelled with its reason. */
export const handler = sagaStep(
  'CancelOrder',
  async (input) => {
    const reason = input.failure?.reason ?? input.reason ?? 'CANCELLED';
    const outcome = await cancelOrderStep(orders, gidOf(input), input, reason);
    // Reasons are a small fixed set, so the dimension stays low in cardinality.
    const cancelled = metrics.singleMetric();
    cancelled.addDimension('reason', reason);
    cancelled.addMetric('OrderCancelled', MetricUnit.Count, 1);
    return outcome;
  },
  { compensation: true },
);
