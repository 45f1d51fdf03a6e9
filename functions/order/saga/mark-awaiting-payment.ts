import * as z from 'zod';
import { requireIntEnv } from '../../../shared/env';
import { sagaStep } from '../../../shared/handlers/saga-step';
import { orderSagaRepository } from '../dependencies';
import { awaitPaymentStep } from '../order-saga-service';

const orders = orderSagaRepository();
const paymentTimeoutMs = requireIntEnv('PAYMENT_TIMEOUT_SECONDS') * 1000;
const flashSalePaymentTimeoutMs = requireIntEnv('FLASH_SALE_PAYMENT_TIMEOUT_SECONDS') * 1000;
const paymentIdOf = z.object({ results: z.object({ payment: z.object({ paymentId: z.number().int().positive() }) }) });

/**
 * Saga step MarkAwaitingPayment: every step succeeded; the order waits for its payment, until a
 * deadline (sooner for a flash sale's order, so unpaid orders give their stock back quickly).
 */
export const handler = sagaStep('MarkAwaitingPayment', (input, raw) =>
  awaitPaymentStep(
    orders,
    input,
    paymentIdOf.parse(raw).results.payment.paymentId,
    Date.now() + (input.flashSale ? flashSalePaymentTimeoutMs : paymentTimeoutMs),
  ),
);
