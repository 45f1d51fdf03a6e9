import { apiHandler } from '../../../shared/handlers/api';
import { orderReadDeps } from '../dependencies';
import { updateOrder } from '../order-service';
import { updateRequest } from '../schemas';

const deps = orderReadDeps();

export const handler = apiHandler(updateRequest, ({ input }) => updateOrder(deps, input));
