import * as z from 'zod';
import { dynamo } from '../../../shared/aws';
import { requireEnv } from '../../../shared/env';
import { internalHandler } from '../../../shared/handlers/internal';
import { sandboxRefundOf } from '../sandbox-provider';

const table = requireEnv('PAYMENT_TABLE');
const request = z.object({
  paymentId: z.number().int().positive(),
  amount: z.number().int().positive(),
  refundId: z.string().min(1).max(100),
});

/** The sandbox payment provider's refund (sandbox mode only), invoked through the provider port (payment-provider.ts). */
export const handler = internalHandler(request, (input) => sandboxRefundOf(dynamo, table, input));
