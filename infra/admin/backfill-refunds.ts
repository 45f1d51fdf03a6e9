import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { latePayRefundId } from '../../functions/pay/payment-repository';
import { type RefundablePayment, RefundRepository } from '../../functions/pay/refund-repository';
import { transactionConflict } from '../../shared/conditions';
import { findTable, operatorClient } from './operator-dynamo';

/**
 * A one-off migration: payments flagged refund_needed (paid after they were closed) before markPaid
 * asked for their refund itself have no `late-pay-<id>` refund record and no `refundRequested`
 * sum, so the relay never refunds them. This asks for that refund, of the whole amount, with the
 * same transaction markPaid uses (refundRequestItems through RefundRepository.request): the
 * refund record lands on ByOutbox (partition REFUND) and the relay carries it to the provider on
 * its next run. Nothing here calls the provider.
 *
 * Idempotent and race-safe by the refund's own conditions: the record is new only once
 * (attribute_not_exists: same id as markPaid's) and the payment's refundRequested cap admits the
 * whole amount only once; a run repeated, or racing markPaid, finds 'exists' or 'refused' and
 * counts it skipped.
 */
export interface BackfillTarget {
  /** The local cloud's DynamoDB endpoint (or LocalStack's); the default AWS endpoints when absent. */
  endpoint?: string;
  /** The payment table; found by listing the tables (the one named PaymentsTable...) when absent. */
  table?: string;
}

export interface BackfillSummary {
  table: string;
  /** Items the scan read. */
  scanned: number;
  /** Flagged payments with no refund asked for: what the migration is about. */
  found: number;
  requested: number;
  skipped: number;
  /** Still conflicting with another write after a few tries: run it again. */
  failed: number;
  /** The refunds asked for (or, in a dry run, that would be). */
  refunds: Array<{ paymentId: number; refundId: string; amount: number }>;
}

const TRIES = 3;

/** Runs the backfill on the payment table named or found. */
export async function backfillLateRefunds(target: BackfillTarget = {}, { dryRun = false } = {}): Promise<BackfillSummary> {
  const client = operatorClient(target.endpoint);
  try {
    const table = target.table ?? (await findTable(client, 'PaymentsTable', 'payment'));
    return await backfillTable(DynamoDBDocumentClient.from(client), table, { dryRun });
  } finally {
    client.destroy();
  }
}

export async function backfillTable(
  db: DynamoDBDocumentClient,
  table: string,
  { dryRun = false, pageSize = 100 } = {},
): Promise<BackfillSummary> {
  const refunds = new RefundRepository(db, table);
  const summary: BackfillSummary = { table, scanned: 0, found: 0, requested: 0, skipped: 0, failed: 0, refunds: [] };
  // A Scan, acceptable for a one-off operator migration (no index holds flagged payments); consistent, page by page.
  const pages = paginateScan(
    { client: db, pageSize },
    {
      TableName: table,
      ConsistentRead: true,
      FilterExpression: 'sk = :pay AND refundNeeded = :yes AND #status = :closed AND attribute_not_exists(refundRequested)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pay': 'PAY', ':yes': true, ':closed': 'closed' },
    },
  );
  for await (const page of pages) {
    summary.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      summary.found++;
      const payment: RefundablePayment = { id: Number(item.id), uid: Number(item.uid), oid: Number(item.oid), amount: Number(item.amount) };
      const refund = { refundId: latePayRefundId(payment.id), amount: payment.amount, reason: 'LATE_PAYMENT' };
      if (dryRun) {
        summary.refunds.push({ paymentId: payment.id, refundId: refund.refundId, amount: refund.amount });
        continue;
      }
      const outcome = await requestRetrying(refunds, payment, refund);
      if (outcome === 'requested') {
        summary.requested++;
        summary.refunds.push({ paymentId: payment.id, refundId: refund.refundId, amount: refund.amount });
      } else if (outcome === 'conflict') summary.failed++;
      else summary.skipped++;
    }
  }
  return summary;
}

/** The refund asked for, retried while another write (markPaid's, say) holds the payment at that moment. */
async function requestRetrying(
  refunds: RefundRepository,
  payment: RefundablePayment,
  refund: { refundId: string; amount: number; reason: string },
): Promise<'requested' | 'exists' | 'refused' | 'conflict'> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await refunds.request(payment, refund, 'closed');
    } catch (error) {
      if (!transactionConflict(error)) throw error;
      if (attempt >= TRIES) return 'conflict';
    }
  }
}
