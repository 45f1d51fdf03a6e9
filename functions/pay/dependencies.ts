import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { PaymentRepository } from './payment-repository';

const table = () => requireEnv('PAYMENT_TABLE');
export const paymentRepository = () => new PaymentRepository(dynamo, table());
export const paymentBarrier = () => new Barrier(dynamo, table());

export const eventBusName = () => requireEnv('EVENT_BUS_NAME');
