import { gidOf, sagaStep } from '../../shared/saga';
import { orderBarrier, orderRepository } from './dependencies';
import { openOrderStep } from './order-service';

const orders = orderRepository();
const barrier = orderBarrier();

/** Saga step CreateOrder: the pending order enters its saga. */
export const handler = sagaStep('CreateOrder', (input) => openOrderStep(orders, barrier, gidOf(input), input));
