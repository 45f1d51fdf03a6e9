import { apiHandler } from '../../../shared/handlers/api';
import { rejectRequest } from '../after-sale-schemas';
import { rejectRefund } from '../after-sale-service';
import { afterSaleDeps } from '../dependencies';

const deps = afterSaleDeps();

/** Admin: rejects a refund request with a note for the buyer. */
export const handler = apiHandler(rejectRequest, ({ input }) => rejectRefund(deps, input));
