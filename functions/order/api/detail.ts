import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderReadDeps } from '../dependencies';
import { orderDetail } from '../order-service';
import { idRequest } from '../schemas';

const deps = orderReadDeps();

export const handler = apiHandler(idRequest, ({ input, caller }) => orderDetail(deps, requireCaller(caller), input.id));
