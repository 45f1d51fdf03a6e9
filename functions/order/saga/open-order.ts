import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { orderBarrier, orderRepository } from '../dependencies';
import { openOrderStep } from '../order-service';

const orders = orderRepository();
const barrier = orderBarrier();

/** Saga step OpenOrder: the pending order enters its saga. */
export const handler = sagaStep('OpenOrder', (input) => openOrderStep(orders, barrier, gidOf(input), input));
