import { sagaStep } from '../../../shared/handlers/saga-step';
import { failure, gidOf, success } from '../../../shared/saga';
import { paymentBarrier, paymentRepository } from '../dependencies';

const repo = paymentRepository();
const barrier = paymentBarrier();

/** Saga step CreatePayment: the order's payment record, awaiting payment. */
export const handler = sagaStep('CreatePayment', async (input) => {
  const result = await repo.create(barrier, gidOf(input), {
    id: await repo.nextId(),
    uid: input.uid,
    oid: input.orderId,
    amount: input.amount,
    source: 0,
    status: 'awaiting',
    createdAt: Date.now(),
  });
  if (result.status === 'done') return success({ paymentId: result.data.paymentId });
  if (result.status === 'blocked') return failure('ALREADY_CANCELLED');
  throw new Error(`order ${input.orderId} already has another payment record`); // never expected
});
