import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { fulfilmentDeps } from '../dependencies';
import { receiveRequest } from '../fulfilment-schemas';
import { receiveOrder } from '../fulfilment-service';

const deps = fulfilmentDeps();

/** The buyer confirms receipt of their own shipped order. */
export const handler = apiHandler(receiveRequest, ({ input, caller }) => receiveOrder(deps, requireCaller(caller), input.id));
