import { gidOf, sagaStep } from '../../shared/saga';
import { orderRepository } from './dependencies';
import { cancelOrderStep } from './order-service';

const orders = orderRepository();

/** Compensation CancelOrder, last of the compensations: the order ends cancelled with its reason. */
export const handler = sagaStep('CancelOrder', (input) => cancelOrderStep(orders, gidOf(input), input, input.failure?.reason ?? input.reason ?? 'CANCELLED'));
