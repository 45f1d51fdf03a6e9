import { internalHandler } from '../../../shared/handlers/internal';
import { paymentRepository } from '../dependencies';
import { closePaymentForOrder } from '../pay-service';
import { closeForOrderRequest } from '../schemas';

const repo = paymentRepository();

/** Internal, invoked by the order service before it closes an unpaid or cancelled order. */
export const handler = internalHandler(closeForOrderRequest, ({ orderId }) => closePaymentForOrder(repo, orderId));
