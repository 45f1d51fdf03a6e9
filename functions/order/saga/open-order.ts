import { sagaStep } from '../../../shared/handlers/saga-step';
import { orderSagaRepository } from '../dependencies';
import { openOrderStep } from '../order-saga-service';

const orders = orderSagaRepository();

/** Saga step OpenOrder: the pending order enters its saga. */
export const handler = sagaStep('OpenOrder', (input) => openOrderStep(orders, input));
