import type { OrderRecord } from './order-table';
import type { RefundState } from './schemas';

/**
 * An order's refund, as order/detail shows it: `pending` once a paid order is being cancelled
 * (or was cancelled) until the payment service's Refunded says the money is back; `refunded`
 * when all of it is, `partial` when some is. Nothing for an order nothing was paid on.
 */
export function refundFieldsOf(o: OrderRecord): { refund_state?: RefundState; refunded_amount?: number } {
  const refunded = o.refundedAmount ?? 0;
  if (refunded > 0) return { refund_state: refunded >= o.amount ? 'refunded' : 'partial', refunded_amount: refunded };
  if (o.paidAt && o.amount > 0 && (o.state === 'cancelling' || o.state === 'cancelled'))
    return { refund_state: 'pending', refunded_amount: 0 };
  return {};
}
