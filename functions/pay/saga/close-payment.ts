import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf, success } from '../../../shared/saga';
import { paymentBarrier, paymentRepository } from '../dependencies';

const repo = paymentRepository();
const barrier = paymentBarrier();

/** Compensation ClosePayment: empty if CreatePayment never ran. */
export const handler = sagaStep(
  'ClosePayment',
  async (input) => {
    await repo.close(barrier, gidOf(input));
    return success();
  },
  { compensation: true },
);
