import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';

/**
 * The payment table:
 *   PAY#<id> / PAY          a payment record (go-zero-mall's pay service). An order has at most
 *                           one payment, and it takes the order's id: the key itself keeps it
 *                           unique, with no lookup item and no id counter to write.
 *   BARRIER#<gid>#payment   the saga's barriers
 * A paid payment whose PaymentSucceeded is not yet on the bus carries outboxPk/outboxAt (the
 * sparse index ByOutbox, one partition: what the outbox relay republishes).
 */

export type PayOutcome = 'paid' | 'already-paid' | 'refund-needed' | 'amount-mismatch';
export type CloseOutcome = 'closed' | 'paid' | 'missing';

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
});
export type PaymentRecord = z.infer<typeof paymentRecord>;

const paymentKey = (id: number) => ({ pk: `PAY#${id}`, sk: 'PAY' });
const OUTBOX_PK = 'OUTBOX';

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
   * Closes the order's payment if the saga created one and it is still awaiting payment. One
   * paid meanwhile (the order is being cancelled, so it was never marked paid) is not closed
   * but flagged for refund, and the compensation is done: retrying it could never succeed.
   */
  async close(barrier: Barrier, gid: string) {
    const taken = await barrier.actionData<{ paymentId: number }>(gid, 'payment');
    const paid = taken ? (await this.get(taken.paymentId))?.status === 'paid' : false;
    // Paid between this read and the write: the condition fails and the retried compensation sees it.
    return barrier.compensate<{ paymentId: number }>(gid, 'payment', ({ paymentId }) => [
      {
        Update: {
          TableName: this.table,
          Key: paymentKey(paymentId),
          ...(paid
            ? {
                UpdateExpression: 'SET refundNeeded = :yes, latePaidAt = if_not_exists(latePaidAt, paidAt)',
                ConditionExpression: '#status = :paid',
                ExpressionAttributeValues: { ':yes': true, ':paid': 'paid' },
              }
            : {
                UpdateExpression: 'SET #status = :closed, closedAt = if_not_exists(closedAt, :now)',
                // Already closed when the order was closed for non-payment before its cancel run.
                ConditionExpression: '#status IN (:awaiting, :closed)',
                ExpressionAttributeValues: { ':closed': 'closed', ':awaiting': 'awaiting', ':now': Date.now() },
              }),
          ExpressionAttributeNames: { '#status': 'status' },
        },
      },
    ]);
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
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: paymentKey(id),
        UpdateExpression: 'SET refundNeeded = :yes, latePaidAt = if_not_exists(latePaidAt, :now)',
        ConditionExpression: '#status = :closed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':yes': true, ':now': now, ':closed': 'closed' },
      }),
    );
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

  /** Closes the order's payment unless it was paid: the other half of the pay/close race. */
  async closeForOrder(oid: number): Promise<CloseOutcome> {
    const payment = await this.forOrder(oid);
    if (!payment) return 'missing';
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
      return 'closed';
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return 'paid';
    }
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
