import { apiHandler } from '../../../shared/handlers/api';
import { approveRequest } from '../after-sale-schemas';
import { approveRefund } from '../after-sale-service';
import { afterSaleApprovalDeps } from '../dependencies';

const deps = afterSaleApprovalDeps();

/** Admin: approves a refund request, with the goods returned or kept. */
export const handler = apiHandler(approveRequest, ({ input, correlationId }) => approveRefund(deps, input, correlationId));
