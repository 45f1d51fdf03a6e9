import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { fulfilmentDeps } from '../dependencies';
import { myOrdersRequest } from '../fulfilment-schemas';
import { listMyOrders } from '../fulfilment-service';

const deps = fulfilmentDeps();

/** lebron's order list: the caller's orders, optionally in one state, with is_end. */
export const handler = apiHandler(myOrdersRequest, ({ input, caller }) => listMyOrders(deps, requireCaller(caller), input));
