import { apiHandler } from '../../../shared/handlers/api';
import { fulfilmentDeps } from '../dependencies';
import { shipRequest } from '../fulfilment-schemas';
import { shipOrder } from '../fulfilment-service';

const deps = fulfilmentDeps();

/** Admin: a paid order is shipped with a carrier and a tracking number. */
export const handler = apiHandler(shipRequest, ({ input }) => shipOrder(deps, input));
