import { z } from 'zod';
import { internalHandler } from '../../../shared/handlers/internal';
import type { OrderSummary } from '../client';
import { orderRepository } from '../dependencies';

const orders = orderRepository();

/** Internal, invoked by the payment service: an order's owner, amount and state. */
export const handler = internalHandler(z.object({ id: z.number().int().positive() }), async ({ id }): Promise<OrderSummary | null> => {
  const order = await orders.get(id);
  return order ? { id: order.id, uid: order.uid, amount: order.amount, state: order.state } : null;
});
