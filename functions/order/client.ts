import { invokeFunction } from '../../shared/invoke';
import type { OrderState } from './schemas';

export interface OrderSummary {
  id: number;
  uid: number;
  amount: number;
  state: OrderState;
}

/** How the payment service reads an order: the order service's internal get function. */
export interface OrderLookup {
  get(id: number): Promise<OrderSummary | null>;
}

export function orderGetFunction(functionName: string): OrderLookup {
  return { get: (id) => invokeFunction<OrderSummary | null>(functionName, { id }) };
}
