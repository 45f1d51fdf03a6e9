import { invokeFunction } from '../../shared/invoke';
import type { CloseOutcome } from './payment-repository';
import type { OrderRefund } from './refund-service';

/** How the order service closes an order's payment: first, so a paid order is never closed. */
export interface PaymentCloser {
  closeForOrder(orderId: number): Promise<CloseOutcome>;
}

export function paymentCloseFunction(functionName: string): PaymentCloser {
  return { closeForOrder: async (orderId) => (await invokeFunction<{ outcome: CloseOutcome }>(functionName, { orderId })).outcome };
}

/** How the order service's after-sale asks for a refund of an order's payment (refund-service.ts refundForOrder). */
export interface PaymentRefunder {
  refundOrder(request: { orderId: number; refundId: string; amount: number; reason: string }): Promise<OrderRefund>;
}

export function paymentRefundFunction(functionName: string): PaymentRefunder {
  return { refundOrder: (request) => invokeFunction<OrderRefund>(functionName, request) };
}
