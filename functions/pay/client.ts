import { requireEnv } from '../../shared/env';
import { conflict } from '../../shared/errors';
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

/**
 * Whether the payment service can refund: PAY_PROVIDER, set on the order functions from the
 * same stage setting as on the payment service's (infra/config.ts refundProviderOf). With none, a
 * refund would only wait on the relay until an operator steps in.
 */
export const refundsAvailableFromEnv = (): boolean => requireEnv('PAY_PROVIDER') !== 'none';

/** What needs a refund is refused, before anything is written, where refunds cannot be made. */
export const refundsUnavailable = () =>
  conflict(
    'REFUNDS_UNAVAILABLE',
    'refunds are not available here (no payment provider is configured), so a paid order cannot be cancelled or refunded now; contact support',
  );
