import { invokeFunction } from '../../shared/invoke';
import type { PaidPayment } from './payment-repository';
import type { OrderRefund } from './refund-service';

/**
 * What closing an order's payment found. A paid one comes with the payment, for an order that
 * never took its PaymentSucceeded; `payment` may be absent while a pay function older than the
 * order's is still deployed.
 */
export type PaymentClose = { outcome: 'closed' | 'missing' } | { outcome: 'paid'; payment?: PaidPayment };

/** How the order service closes an order's payment: first, so a paid order is never closed. */
export interface PaymentCloser {
  closeForOrder(orderId: number): Promise<PaymentClose>;
}

export function paymentCloseFunction(functionName: string): PaymentCloser {
  return { closeForOrder: (orderId) => invokeFunction<PaymentClose>(functionName, { orderId }) };
}

/** How the order service's after-sale asks for a refund of an order's payment (refund-service.ts refundForOrder). */
export interface PaymentRefunder {
  refundOrder(request: { orderId: number; refundId: string; amount: number; reason: string }): Promise<OrderRefund>;
}

export function paymentRefundFunction(functionName: string): PaymentRefunder {
  return { refundOrder: (request) => invokeFunction<OrderRefund>(functionName, request) };
}
