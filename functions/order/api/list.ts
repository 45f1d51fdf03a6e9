import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { orderReadDeps } from '../dependencies';
import { listOrders } from '../order-service';
import { listRequest } from '../schemas';

const deps = orderReadDeps();

/** go-zero-mall answers a JSON array; each order carries the `cursor` that continues after it. */
export const handler = apiHandler(listRequest, ({ input, caller }) => listOrders(deps, requireCaller(caller), input));
