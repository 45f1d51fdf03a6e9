import * as z from 'zod';
import { requireIntEnv } from '../../../shared/env';
import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { orderSagaRepository } from '../dependencies';
import { awaitPaymentStep } from '../order-saga-service';

const orders = orderSagaRepository();
const paymentTimeoutMs = requireIntEnv('PAYMENT_TIMEOUT_SECONDS') * 1000;
const paymentIdOf = z.object({ results: z.object({ payment: z.object({ paymentId: z.number().int().positive() }) }) });

/** Saga step MarkAwaitingPayment: every step succeeded; the order waits for its payment, until a deadline. */
export const handler = sagaStep('MarkAwaitingPayment', (input, raw) =>
  awaitPaymentStep(orders, gidOf(input), input, paymentIdOf.parse(raw).results.payment.paymentId, Date.now() + paymentTimeoutMs),
);
