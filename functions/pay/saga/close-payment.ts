import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { paymentBarrier, paymentRepository } from '../dependencies';
import { closePaymentStep } from '../pay-service';

const repo = paymentRepository();
const barrier = paymentBarrier();

/** Compensation ClosePayment: empty if CreatePayment never ran. */
export const handler = sagaStep('ClosePayment', (input) => closePaymentStep(repo, barrier, gidOf(input)), { compensation: true });
