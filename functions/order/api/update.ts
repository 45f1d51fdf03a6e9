import { apiHandler } from '../../../shared/handlers/api';
import { orderDeps } from '../dependencies';
import { updateOrder } from '../order-service';
import { updateRequest } from '../schemas';

const deps = orderDeps();

export const handler = apiHandler(updateRequest, ({ input }) => updateOrder(deps, input));
