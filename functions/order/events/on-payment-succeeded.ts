import { paymentSucceeded } from '../../../shared/events';
import { eventConsumer } from '../../../shared/handlers/event-consumer';
import { orderRepository } from '../dependencies';
import { markPaid } from '../payment-event-service';

const orders = orderRepository();

/** Consumer of PaymentSucceeded (seed 004's payment-done broadcast): the order is paid. */
export const handler = eventConsumer(paymentSucceeded, (payment) => markPaid(orders, payment.orderId, payment.paymentId, payment.paidAt));
