import { internalHandler } from '../../../shared/handlers/internal';
import { refundDeps } from '../dependencies';
import { refundForOrder } from '../refund-service';
import { refundForOrderRequest } from '../schemas';

const deps = refundDeps();

/** Internal, invoked by the order service when an admin approves an after-sale refund of goods the buyer keeps. */
export const handler = internalHandler(refundForOrderRequest, (request) => refundForOrder(deps, request));
