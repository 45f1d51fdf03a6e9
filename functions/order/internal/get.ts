import * as z from 'zod';
import { internalHandler } from '../../../shared/handlers/internal';
import { orderRepository } from '../dependencies';
import { orderSummary } from '../order-service';

const orders = orderRepository();

/** Internal, invoked by the payment service: an order's owner, amount and state. */
export const handler = internalHandler(z.object({ id: z.number().int().positive() }), ({ id }) => orderSummary(orders, id));
