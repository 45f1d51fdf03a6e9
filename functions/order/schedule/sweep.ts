import { requireEnv, requireIntEnv } from '../../../shared/env';
import { scheduledHandler } from '../../../shared/handlers/scheduled';
import { paymentCloseFunction } from '../../pay/client';
import { orderRepository, sagaRunner } from '../dependencies';
import { closeUnpaidOrders, sweepOpenOrders } from '../order-service';

const orders = orderRepository();
const saga = sagaRunner();
const payments = paymentCloseFunction(requireEnv('PAY_CLOSE_FUNCTION'));
const boundMs = requireIntEnv('OPEN_ORDER_BOUND_SECONDS') * 1000;

/**
 * Every minute: closes orders not paid in time, and drives orders whose saga ended abnormally
 * (or never ran) to a terminal state. Stuck sagas first: there are few, while a busy shop may
 * have many unpaid orders to close.
 */
export const handler = scheduledHandler('swept orders', async (now, stopAt) => {
  const repaired = await sweepOpenOrders(orders, saga, boundMs, now, stopAt);
  return { ...repaired, ...(await closeUnpaidOrders(orders, payments, saga, now, stopAt)) };
});
