import { eventConsumer } from '../../shared/event-bus';
import { paymentSucceeded } from '../../shared/events';
import { gidOf } from '../../shared/saga';
import { catalog } from './dependencies';

const repo = catalog();

/** Consumer of PaymentSucceeded: the reserved stock is sold, and counts toward the product's sales. */
export const handler = eventConsumer(paymentSucceeded, (payment) => repo.confirmSale(gidOf({ orderId: payment.orderId })));
