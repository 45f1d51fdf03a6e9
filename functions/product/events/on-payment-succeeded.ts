import { paymentSucceeded } from '../../../shared/events';
import { eventConsumer } from '../../../shared/handlers/event-consumer';
import { gidOf } from '../../../shared/saga';
import { catalog, catalogBarrier } from '../dependencies';
import { confirmSale } from '../inventory';

const repo = catalog();
const barrier = catalogBarrier();

/** Consumer of PaymentSucceeded: the reserved stock is sold, and counts toward the product's sales. */
export const handler = eventConsumer(paymentSucceeded, (payment) => confirmSale(repo, barrier, gidOf({ orderId: payment.orderId })));
