import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { paymentBarrier, paymentRepository, refundDeps } from '../dependencies';
import { closePaymentStep } from '../pay-service';

const repo = paymentRepository();
const barrier = paymentBarrier();
const refunds = refundDeps();

/** Compensation ClosePayment: empty if CreatePayment never ran; a paid payment is refunded. */
export const handler = sagaStep('ClosePayment', (input) => closePaymentStep(repo, barrier, gidOf(input), input, refunds), {
  compensation: true,
});
