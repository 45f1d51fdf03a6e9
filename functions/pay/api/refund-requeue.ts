import { apiHandler } from '../../../shared/handlers/api';
import { refundRepository } from '../dependencies';
import { requeueRefund } from '../refund-service';
import { requeueRefundRequest } from '../schemas';

const refunds = refundRepository();

/** Admin: a flagged refund is tried again by the relay's next run. */
export const handler = apiHandler(requeueRefundRequest, ({ input }) => requeueRefund(refunds, input.payment_id, input.refund_id));
