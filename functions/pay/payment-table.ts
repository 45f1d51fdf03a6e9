/**
 * The payment table's keys:
 *   PAY#<id> / PAY                 a payment record (go-zero-mall's pay service)   payment-repository.ts
 *                                  An order has at most one payment, and it takes the order's id:
 *                                  the key itself keeps it unique (no lookup item, no id counter).
 *   PAY#<id> / REFUND#<refundId>   a refund of the payment                         refund-repository.ts
 *   SANDBOX#REFUND#<refundId> / SANDBOX   the sandbox provider's own books         sandbox-provider.ts
 *   BARRIER#<gid>#payment          the saga's barriers (shared/barrier.ts)
 * The sparse index ByOutbox (outboxPk, outboxAt) holds what a relay must still finish: paid
 * payments whose PaymentSucceeded is not on the bus (partition OUTBOX) and refunds not yet
 * confirmed by the provider or whose Refunded is not on the bus (partition REFUND).
 */
export const paymentKey = (id: number) => ({ pk: `PAY#${id}`, sk: 'PAY' });
