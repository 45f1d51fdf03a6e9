import type { AfterSaleView } from './after-sale-schemas';
import type { OrderRecord } from './order-table';
import type { RefundState } from './schemas';

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * An order's refund, as order/detail shows it: `pending` once money is to go back (a paid order
 * being cancelled or cancelled, or an approved after-sale refund) until the payment service's
 * Refunded says it is back; `refunded` when all of it is, `partial` when some is. Nothing for an
 * order nothing was paid on. And its after-sale request, once one was made.
 */
export function refundFieldsOf(o: OrderRecord): { refund_state?: RefundState; refunded_amount?: number; after_sale?: AfterSaleView } {
  const refunded = o.refundedAmount ?? 0;
  const owed =
    (o.paidAt && o.amount > 0 && (o.state === 'cancelling' || o.state === 'cancelled')) ||
    (o.afterSale?.state === 'approved' && o.afterSale.amount > 0);
  return {
    ...(refunded > 0
      ? { refund_state: refunded >= o.amount ? 'refunded' : 'partial', refunded_amount: refunded }
      : owed
        ? { refund_state: 'pending', refunded_amount: 0 }
        : {}),
    ...(o.afterSale ? { after_sale: afterSaleViewOf(o.afterSale) } : {}),
  };
}

function afterSaleViewOf(a: NonNullable<OrderRecord['afterSale']>): AfterSaleView {
  return {
    state: a.state,
    reason: a.reason,
    amount: a.amount,
    ...(a.goodsReturned !== undefined ? { goods_returned: a.goodsReturned } : {}),
    ...(a.note ? { note: a.note } : {}),
    requested_at: seconds(a.requestedAt),
    ...(a.decidedAt ? { decided_at: seconds(a.decidedAt) } : {}),
  };
}
