import { refunded } from '../../../shared/events';
import { eventConsumer } from '../../../shared/handlers/event-consumer';
import { orderRepository } from '../dependencies';
import { recordRefund } from '../payment-event-service';

const orders = orderRepository();

/** Consumer of Refunded: the order shows how much of its payment is back (refund_state, refunded_amount). */
export const handler = eventConsumer(refunded, (refund) => recordRefund(orders, refund.orderId, refund.refundedTotal, refund.refundedAt));
