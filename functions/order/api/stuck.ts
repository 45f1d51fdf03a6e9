import { requireIntEnv } from '../../../shared/env';
import { apiHandler } from '../../../shared/handlers/api';
import { overdueOrderRepository, sagaRunner } from '../dependencies';
import { stuckRequest } from '../schemas';
import { stuckOrders } from '../sweep-service';

const overdue = overdueOrderRepository();
const saga = sagaRunner();
const stuckMs = requireIntEnv('COMPENSATION_STUCK_SECONDS') * 1000;

/** Admin: orders stuck in compensation (cancelling for longer than the alarm's limit), with the run to look into and its last error. */
export const handler = apiHandler(stuckRequest, ({ input }) =>
  stuckOrders(overdue, saga, input.older_than_minutes === undefined ? stuckMs : input.older_than_minutes * 60_000),
);
