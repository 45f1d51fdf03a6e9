import { apiHandler } from '../../../shared/handlers/api';
import { fulfilmentDeps } from '../dependencies';
import { ordersInStateRequest } from '../fulfilment-schemas';
import { listOrdersInState } from '../fulfilment-service';

const deps = fulfilmentDeps();

/** Admin: the orders in one state from payment on (e.g. paid, to ship), oldest in that state first. */
export const handler = apiHandler(ordersInStateRequest, ({ input }) => listOrdersInState(deps, input));
