import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { providerFromEnv } from './payment-provider';
import { PaymentRepository } from './payment-repository';
import { RefundRepository } from './refund-repository';
import type { RefundDeps } from './refund-service';

const table = () => requireEnv('PAYMENT_TABLE');
export const paymentRepository = () => new PaymentRepository(dynamo, table());
export const paymentBarrier = () => new Barrier(dynamo, table());
export const refundRepository = () => new RefundRepository(dynamo, table());

export const eventBusName = () => requireEnv('EVENT_BUS_NAME');

/** Refunds' records, the provider (PAY_PROVIDER) and the bus. */
export const refundDeps = (): RefundDeps => ({
  refunds: refundRepository(),
  payments: paymentRepository(),
  provider: providerFromEnv(),
  busName: eventBusName(),
});
