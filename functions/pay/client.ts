import { invokeFunction } from '../../shared/invoke';
import type { CloseOutcome } from './payment-repository';

/** How the order service closes an order's payment: first, so a paid order is never closed. */
export interface PaymentCloser {
  closeForOrder(orderId: number): Promise<CloseOutcome>;
}

export function paymentCloseFunction(functionName: string): PaymentCloser {
  return { closeForOrder: async (orderId) => (await invokeFunction<{ outcome: CloseOutcome }>(functionName, { orderId })).outcome };
}
