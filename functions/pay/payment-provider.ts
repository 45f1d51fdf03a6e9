import { invokeFunction } from '../../shared/invoke';

/**
 * The payment provider's port: what the mall asks of whoever holds the money. An adapter for a
 * real provider (Alipay, WeChat Pay, Stripe...) implements it; locally the sandbox does
 * (provider/sandbox-refund.ts). Contract:
 *   - `refund` is idempotent by `refundId`: the same id again must not move money twice, and
 *     answers the same reference (a provider's own idempotency key, or its out_refund_no);
 *   - it answers only once the provider has accepted the refund; any error is taken as transient,
 *     and the mall calls again with the same id, backing off, until it answers or the retry bound
 *     flags the refund for an operator (the refund stays pending meanwhile: refund-service.ts).
 */
export interface PaymentProvider {
  refund(request: RefundRequest): Promise<{ reference: string }>;
}

export interface RefundRequest {
  paymentId: number;
  /** Cents; never more than the payment has left to refund (the mall enforces it before asking). */
  amount: number;
  refundId: string;
}

/** The sandbox, a function of its own so the local cloud can make it fail (`/_local/faults`) like a remote provider. */
export function sandboxProvider(functionName: string): PaymentProvider {
  return { refund: (request) => invokeFunction<{ reference: string }>(functionName, request) };
}

/**
 * No provider configured (a stage without sandbox and before a real adapter): the order service
 * refuses what would need a refund; one that comes anyway (a payment after its order closed)
 * stays pending, is retried, then flagged, and alarms.
 */
export const noProvider: PaymentProvider = {
  refund: () => Promise.reject(new Error('no payment provider is configured for refunds (PAY_PROVIDER)')),
};

/** The provider the environment names: PAY_PROVIDER=sandbox (with SANDBOX_PROVIDER_FUNCTION) or none. */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentProvider {
  if (env.PAY_PROVIDER === 'sandbox' && env.SANDBOX_PROVIDER_FUNCTION) return sandboxProvider(env.SANDBOX_PROVIDER_FUNCTION);
  return noProvider;
}
