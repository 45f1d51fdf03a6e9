import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderCancelDeps } from '../dependencies';
import { cancelOrder } from '../order-service';
import { idRequest } from '../schemas';

const deps = orderCancelDeps();

export const handler = apiHandler(idRequest, ({ input, caller, correlationId }) =>
  cancelOrder(deps, requireCaller(caller), input.id, correlationId),
);
