import { apiHandler, requireAdmin } from '../../shared/http';
import { orderDeps } from './dependencies';
import { updateOrder } from './order-service';
import { updateRequest } from './schemas';

const deps = orderDeps();

export const handler = apiHandler(updateRequest, async ({ input, caller }) => {
  requireAdmin(caller);
  return updateOrder(deps, input);
});
