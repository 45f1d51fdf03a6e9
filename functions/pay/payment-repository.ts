import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Barrier, CompensationResult, TransactItem } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';
import { paymentKey } from './payment-table';
import { refundRequestItems } from './refund-repository';

/**
 * Payment records (keys in payment-table.ts). A paid payment whose PaymentSucceeded is not yet
 * on the bus carries outboxPk/outboxAt (the sparse index ByOutbox, partition OUTBOX: what the
 * outbox relay republishes).
 */

export type PayOutcome = 'paid' | 'already-paid' | 'refund-needed' | 'amount-mismatch';
export type CloseOutcome = 'closed' | 'paid' | 'missing';
/** A paid payment as the order needs it to mark itself paid without its PaymentSucceeded. */
export type PaidPayment = { id: number; amount: number; paidAt: number };
export type CloseResult = { outcome: 'closed' | 'missing' } | { outcome: 'paid'; payment: PaidPayment };
export type RefundKey = { paymentId: number; refundId: string };

const paymentRecord = z.object({
  id: z.number(),
  uid: z.number(),
  oid: z.number(),
  amount: z.number(),
  source: z.number(),
  status: z.enum(['awaiting', 'paid', 'closed']),
  /** Unix milliseconds, as the other times. */
  createdAt: z.number(),
  paidAt: z.number().optional(),
  /** A successful payment that arrived after the payment was closed: the money must go back. */
  refundNeeded: z.boolean().optional(),
  /** Set with the paid status, cleared once PaymentSucceeded is on the bus (an outbox flag). */
  eventPending: z.boolean().optional(),
  /** Cents asked back so far (every refund record's amount), at most `amount`: refund-repository.ts. */
  refundRequested: z.number().optional(),
  /** Cents the provider confirmed refunded. */
  refunded: z.number().optional(),
});
export type PaymentRecord = z.infer<typeof paymentRecord>;

const OUTBOX_PK = 'OUTBOX';

/** The refund a compensation ClosePayment asks for: one per saga (order). */
export const closeRefundId = (gid: string) => `${gid}-close`;
/** The refund of a payment that succeeded after it was closed: one per payment. */
export const latePayRefundId = (paymentId: number) => `late-pay-${paymentId}`;

export class PaymentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The order's payment record, awaiting payment, written with the saga's barrier. */
  create(barrier: Barrier, gid: string, payment: PaymentRecord) {
    return barrier.action(gid, 'payment', { paymentId: payment.id }, [
      { Put: { TableName: this.table, Item: { ...paymentKey(payment.id), ...payment }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
  }

  /**
   * Closes the order's payment if it is still awaiting payment. One paid (the order was paid and
   * is being cancelled, or was paid meanwhile and never marked so) is not closed: what is left of
   * it to refund, or `refundAmount` if less (an approved return's), is asked back (refund
   * `<gid>-close`, with the flag refund_needed) in the compensation's own transaction, and the
   * compensation is done; the provider is called after it (refund-service.ts). The payment is
   * found by the order's id, the barrier or not: a payment that exists is always closed or
   * refunded, whatever became of its barrier.
   */
  async close(
    barrier: Barrier,
    gid: string,
    orderId: number,
    reason: string,
    refundAmount = Infinity,
  ): Promise<{ outcome: CompensationResult; refund?: RefundKey }> {
    const payment = await this.forOrder(orderId);
    const refund = payment?.status === 'paid' ? { paymentId: payment.id, refundId: closeRefundId(gid) } : undefined;
    // Paid between this read and the write: the condition fails and the retried compensation sees it.
    const undo = (): TransactItem[] => {
      if (!payment) return [];
      if (payment.status === 'paid') {
        const amount = Math.min(payment.amount - (payment.refundRequested ?? 0), refundAmount);
        return amount > 0 ? refundRequestItems(this.table, payment, { refundId: closeRefundId(gid), amount, reason }, 'paid', true) : [];
      }
      return [
        {
          Update: {
            TableName: this.table,
            Key: paymentKey(payment.id),
            UpdateExpression: 'SET #status = :closed, closedAt = if_not_exists(closedAt, :now)',
            // Already closed when the order was closed for non-payment before its cancel run.
            ConditionExpression: '#status IN (:awaiting, :closed)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':awaiting': 'awaiting', ':now': Date.now() },
          },
        },
      ];
    };
    const outcome = await barrier.compensate(gid, 'payment', undo, undo);
    return { outcome, ...(refund ? { refund } : {}) };
  }

  /** Creates the payment of an order that has none (the saga normally has made it), or returns the one it has. */
  async createForOrder(payment: PaymentRecord): Promise<PaymentRecord> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...paymentKey(payment.id), ...payment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return payment;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.forOrder(payment.oid))!;
    }
  }

  /**
   * The provider says it was paid. Exactly one of "paid" and "closed" wins, atomically, on this
   * record: a closed payment is never marked paid (its money is flagged for refund instead).
   */
  async markPaid(id: number, amount: number, source: number): Promise<PayOutcome> {
    const now = Date.now();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: paymentKey(id),
          UpdateExpression:
            'SET #status = :paid, paidAt = :now, #source = :source, eventPending = :yes, outboxPk = :outbox, outboxAt = :now',
          ConditionExpression: '#status = :awaiting AND amount = :amount',
          ExpressionAttributeNames: { '#status': 'status', '#source': 'source' },
          ExpressionAttributeValues: {
            ':paid': 'paid',
            ':awaiting': 'awaiting',
            ':now': now,
            ':source': source,
            ':yes': true,
            ':amount': amount,
            ':outbox': OUTBOX_PK,
          },
        }),
      );
      return 'paid';
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
    const current = await this.get(id);
    if (!current || current.amount !== amount) return 'amount-mismatch';
    if (current.status === 'paid') return 'already-paid';
    // Closed: the money is flagged and asked back (refund `late-pay-<id>`) at once; a repeat finds it asked.
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: refundRequestItems(
            this.table,
            current,
            { refundId: latePayRefundId(id), amount, reason: 'LATE_PAYMENT' },
            'closed',
            true,
          ),
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
    return 'refund-needed';
  }

  async markEventPublished(id: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.table, Key: paymentKey(id), UpdateExpression: 'REMOVE eventPending, outboxPk, outboxAt' }),
    );
  }

  /** Paid payments whose PaymentSucceeded is still not on the bus, paid before `before` (Unix ms), a page at a time. */
  async *pendingEvents(before: number, pageSize = 100): AsyncIterable<PaymentRecord[]> {
    const pages = paginateQuery(
      { client: this.db, pageSize },
      {
        TableName: this.table,
        IndexName: 'ByOutbox',
        KeyConditionExpression: 'outboxPk = :outbox AND outboxAt < :before',
        ExpressionAttributeValues: { ':outbox': OUTBOX_PK, ':before': before },
      },
    );
    for await (const page of pages) yield (page.Items ?? []).map((item) => recordOf(paymentRecord, item));
  }

  /**
   * Closes the order's payment unless it was paid: the other half of the pay/close race. A paid
   * one is returned, so an order whose PaymentSucceeded was lost can still be marked paid.
   */
  async closeForOrder(oid: number): Promise<CloseResult> {
    const payment = await this.forOrder(oid);
    if (!payment) return { outcome: 'missing' };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: paymentKey(payment.id),
          UpdateExpression: 'SET #status = :closed, closedAt = :now',
          ConditionExpression: '#status IN (:awaiting, :closed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closed': 'closed', ':awaiting': 'awaiting', ':now': Date.now() },
        }),
      );
      return { outcome: 'closed' };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
    // Paid, perhaps since the read above: read again for the time it was paid.
    const paid = await this.get(payment.id);
    if (paid?.status !== 'paid' || paid.paidAt === undefined) throw new Error(`payment ${payment.id} is neither closable nor paid`);
    return { outcome: 'paid', payment: { id: paid.id, amount: paid.amount, paidAt: paid.paidAt } };
  }

  async get(id: number): Promise<PaymentRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: paymentKey(id), ConsistentRead: true }));
    return out.Item ? recordOf(paymentRecord, out.Item) : undefined;
  }

  /** The order's payment: the one with the order's id. */
  forOrder(oid: number): Promise<PaymentRecord | undefined> {
    return this.get(oid);
  }
}
