import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';
import type { RefundRequest } from './payment-provider';

/**
 * The sandbox payment provider (sandbox mode only: the local cloud): refunds are "made" by
 * recording them, in the payment table under keys of its own, `SANDBOX#REFUND#<refundId> /
 * SANDBOX`, as a provider keeps its own books. Deterministic: the reference is derived from the
 * refund id, and the same refund id again answers the same reference without a second record.
 */
const sandboxRefund = z.object({ refundId: z.string(), paymentId: z.number(), amount: z.number(), reference: z.string(), at: z.number() });
export type SandboxRefund = z.infer<typeof sandboxRefund>;

export const sandboxRefundKey = (refundId: string) => ({ pk: `SANDBOX#REFUND#${refundId}`, sk: 'SANDBOX' });
export const sandboxReference = (refundId: string) => `sbx_re_${createHash('sha256').update(refundId).digest('hex').slice(0, 20)}`;

export async function sandboxRefundOf(db: DynamoDBDocumentClient, table: string, request: RefundRequest): Promise<{ reference: string }> {
  const record: SandboxRefund = { ...request, reference: sandboxReference(request.refundId), at: Date.now() };
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...sandboxRefundKey(request.refundId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { reference: record.reference };
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
  const out = await db.send(new GetCommand({ TableName: table, Key: sandboxRefundKey(request.refundId), ConsistentRead: true }));
  const earlier = recordOf(sandboxRefund, out.Item!);
  // A provider refuses an idempotency key reused for another refund.
  if (earlier.paymentId !== request.paymentId || earlier.amount !== request.amount)
    throw new Error(`refund id ${request.refundId} was used for another refund`);
  return { reference: earlier.reference };
}
