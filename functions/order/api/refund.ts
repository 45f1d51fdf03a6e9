import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { refundRequest } from '../after-sale-schemas';
import { requestRefund } from '../after-sale-service';
import { afterSaleDeps, returnWindowMs } from '../dependencies';

const deps = afterSaleDeps();
const returnWindow = returnWindowMs();

/** The buyer asks for a refund of their own received order, within the return window. */
export const handler = apiHandler(refundRequest, ({ input, caller }) => requestRefund(deps, returnWindow, requireCaller(caller), input));
