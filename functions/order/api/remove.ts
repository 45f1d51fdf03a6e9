import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderReadDeps } from '../dependencies';
import { removeOrder } from '../order-service';
import { idRequest } from '../schemas';

const deps = orderReadDeps();

export const handler = apiHandler(idRequest, ({ input, caller }) => removeOrder(deps, requireCaller(caller), input.id));
