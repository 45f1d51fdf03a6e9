import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { paymentBarrier, paymentRepository } from '../dependencies';
import { createPaymentStep } from '../pay-service';

const repo = paymentRepository();
const barrier = paymentBarrier();

/** Saga step CreatePayment: the order's payment record, awaiting payment. */
export const handler = sagaStep('CreatePayment', (input) => createPaymentStep(repo, barrier, gidOf(input), input));
