import { apiHandler } from '../../../shared/handlers/api';
import { refundRepository } from '../dependencies';
import { flaggedRefunds } from '../refund-service';
import { flaggedRefundsRequest } from '../schemas';

const refunds = refundRepository();

/** Admin: the refunds flagged for an operator (they failed the retry bound), with why. */
export const handler = apiHandler(flaggedRefundsRequest, () => flaggedRefunds(refunds));
