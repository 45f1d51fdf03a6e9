import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { TransactItem } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';
import { paymentKey } from './payment-table';

/**
 * Refunds, in the payment table:
 *   PAY#<id> / REFUND#<refundId>   a refund of the payment: pending until the provider answers,
 *                                  then succeeded with its reference. While pending, or until
 *                                  its Refunded event is on the bus, it carries outboxPk=REFUND /
 *                                  outboxAt (the sparse index ByOutbox, partition REFUND: what
 *                                  the relay retries). A refund the relay failed to finish
 *                                  carries `attempts` and `nextTryAt` (it is skipped until
 *                                  then, so it holds up none behind it) and, past the bound,
 *                                  `flaggedAt`: it stays pending, and on the index (the money
 *                                  is still owed, and the oldest-refund alarm still counts it),
 *                                  but the relay leaves it to an operator.
 * The payment item keeps the sums: `refundRequested` (every refund asked for: what the cap
 * checks) and `refunded` (what the provider confirmed).
 */
export const REFUND_OUTBOX_PK = 'REFUND';

const refundRecord = z.object({
  refundId: z.string(),
  paymentId: z.number(),
  oid: z.number(),
  uid: z.number(),
  amount: z.number(),
  reason: z.string(),
  state: z.enum(['pending', 'succeeded']),
  /** The provider's reference, once it answered. */
  reference: z.string().optional(),
  /** Unix milliseconds. */
  createdAt: z.number(),
  refundedAt: z.number().optional(),
  /** Succeeded, its Refunded event not yet on the bus (an outbox flag). */
  eventPending: z.boolean().optional(),
  /** Relay runs that failed to finish it, since it was asked for or last re-queued. */
  attempts: z.number().optional(),
  /** Unix ms: the relay leaves it alone until then (backoff). */
  nextTryAt: z.number().optional(),
  /** The latest failure, for the operator. */
  lastError: z.string().optional(),
  /** Unix ms: failed too often; the relay no longer tries it until an operator re-queues it. */
  flaggedAt: z.number().optional(),
});
export type RefundRecord = z.infer<typeof refundRecord>;

/** A refund the relay is to try, as its index lists it. */
export interface UnfinishedRefund {
  paymentId: number;
  refundId: string;
  /** Failed relay runs so far. */
  attempts: number;
}

export const refundKey = (paymentId: number, refundId: string) => ({ pk: `PAY#${paymentId}`, sk: `REFUND#${refundId}` });

/** What a new refund needs to know of its payment. */
export interface RefundablePayment {
  id: number;
  uid: number;
  oid: number;
  amount: number;
}

/**
 * The transaction items that ask for a refund of `amount`: the refund record (new: the refund
 * id is the idempotency key) and, on the payment, the sum asked for so far, on condition that it
 * stays within what was paid (the first refund included, whatever the caller clamped) and that
 * the payment is in `status`. Race-safe: two refunds of one payment at once both write the
 * payment item, so one transaction fails and nothing is refunded twice or beyond the payment. `flag` marks the payment refund_needed as well.
 */
export function refundRequestItems(
  table: string,
  payment: RefundablePayment,
  refund: { refundId: string; amount: number; reason: string },
  status: 'paid' | 'closed',
  flag: boolean,
): TransactItem[] {
  // ADD of a negative amount would lower the sum the cap checks.
  if (!(Number.isSafeInteger(refund.amount) && refund.amount > 0))
    throw new Error(`a refund is a positive number of cents, got ${refund.amount}`);
  const now = Date.now();
  const record: RefundRecord = {
    refundId: refund.refundId,
    paymentId: payment.id,
    oid: payment.oid,
    uid: payment.uid,
    amount: refund.amount,
    reason: refund.reason,
    state: 'pending',
    createdAt: now,
  };
  return [
    {
      Update: {
        TableName: table,
        Key: paymentKey(payment.id),
        UpdateExpression: `${flag ? 'SET refundNeeded = :yes, latePaidAt = if_not_exists(latePaidAt, :now) ' : ''}ADD refundRequested :amount`,
        // DynamoDB conditions have no arithmetic, so the cap is a literal from the caller's copy of
        // the payment; `#amount = :paid` ties it to the stored payment, and the first refund, which
        // has no sum to compare, is held to the payment's amount on its own.
        ConditionExpression:
          '#status = :status AND #amount = :paid AND ((attribute_not_exists(refundRequested) AND #amount >= :amount) OR refundRequested <= :limit)',
        ExpressionAttributeNames: { '#status': 'status', '#amount': 'amount' },
        ExpressionAttributeValues: {
          ':status': status,
          ':amount': refund.amount,
          ':paid': payment.amount,
          ':limit': payment.amount - refund.amount,
          ...(flag ? { ':yes': true, ':now': now } : {}),
        },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...refundKey(payment.id, refund.refundId), ...record, outboxPk: REFUND_OUTBOX_PK, outboxAt: now },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

export class RefundRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Asks for a refund (refundRequestItems); 'exists' if this refund id was asked for before, 'refused' if the cap or status refused it. */
  async request(
    payment: RefundablePayment,
    refund: { refundId: string; amount: number; reason: string },
    status: 'paid' | 'closed',
    flag = false,
  ): Promise<'requested' | 'exists' | 'refused'> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: refundRequestItems(this.table, payment, refund, status, flag) }));
      return 'requested';
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.get(payment.id, refund.refundId)) ? 'exists' : 'refused';
    }
  }

  /**
   * The provider confirmed the refund: it is succeeded with the reference, its event pending, and
   * the payment's refunded sum grows, in one transaction, once ('already' if it was before).
   */
  async complete(refund: RefundRecord, reference: string, now = Date.now()): Promise<'completed' | 'already'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: refundKey(refund.paymentId, refund.refundId),
                UpdateExpression: 'SET #state = :succeeded, #reference = :reference, refundedAt = :now, eventPending = :yes',
                ConditionExpression: '#state = :pending',
                ExpressionAttributeNames: { '#state': 'state', '#reference': 'reference' },
                ExpressionAttributeValues: {
                  ':succeeded': 'succeeded',
                  ':pending': 'pending',
                  ':reference': reference,
                  ':now': now,
                  ':yes': true,
                },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: paymentKey(refund.paymentId),
                UpdateExpression: 'ADD refunded :amount',
                ExpressionAttributeValues: { ':amount': refund.amount },
              },
            },
          ],
        }),
      );
      return 'completed';
    } catch (error) {
      if (conditionFailed(error, 0)) return 'already';
      throw error;
    }
  }

  /** Its Refunded event is on the bus: the refund leaves the outbox. */
  async eventPublished(refund: RefundRecord): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: refundKey(refund.paymentId, refund.refundId),
        UpdateExpression: 'REMOVE eventPending, outboxPk, outboxAt',
      }),
    );
  }

  /**
   * Refunds asked for before `before` (Unix ms) that are still pending, or whose event is, and
   * that the relay should try at `due`: not flagged, and past their backoff. A page at a time.
   */
  async *unfinished(before: number, due = Number.MAX_SAFE_INTEGER, pageSize = 100): AsyncIterable<UnfinishedRefund[]> {
    const pages = paginateQuery(
      { client: this.db, pageSize },
      {
        TableName: this.table,
        IndexName: 'ByOutbox',
        KeyConditionExpression: 'outboxPk = :refunds AND outboxAt < :before',
        FilterExpression: 'attribute_not_exists(flaggedAt) AND (attribute_not_exists(nextTryAt) OR nextTryAt <= :due)',
        ExpressionAttributeValues: { ':refunds': REFUND_OUTBOX_PK, ':before': before, ':due': due },
      },
    );
    for await (const page of pages) {
      yield (page.Items ?? []).map((item) => ({
        paymentId: Number(item.paymentId),
        refundId: String(item.refundId),
        attempts: Number(item.attempts ?? 0),
      }));
    }
  }

  /** When the oldest refund still on the outbox (pending, flagged or not, or its event unpublished) was asked for; undefined if none is. */
  async oldestUnfinishedAt(): Promise<number | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'ByOutbox',
        KeyConditionExpression: 'outboxPk = :refunds',
        ExpressionAttributeValues: { ':refunds': REFUND_OUTBOX_PK },
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? Number(item.outboxAt) : undefined;
  }

  /**
   * The relay failed to finish the refund (its `attempts`-th failure): it is tried again at
   * `nextTryAt`, or with `flag`, not again until re-queued. Only if no other run recorded this
   * attempt meanwhile (false then) and the refund is still on the outbox.
   */
  async recordFailure(
    refund: UnfinishedRefund,
    failure: { attempts: number; nextTryAt: number; error: string; flag: boolean },
    now = Date.now(),
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: refundKey(refund.paymentId, refund.refundId),
          UpdateExpression: `SET attempts = :attempts, nextTryAt = :next, lastError = :error${failure.flag ? ', flaggedAt = :now' : ''}`,
          ConditionExpression: `attribute_exists(outboxPk) AND ${refund.attempts ? 'attempts = :before' : 'attribute_not_exists(attempts)'}`,
          ExpressionAttributeValues: {
            ':attempts': failure.attempts,
            ':next': failure.nextTryAt,
            ':error': failure.error.slice(0, 500),
            ...(refund.attempts ? { ':before': refund.attempts } : {}),
            ...(failure.flag ? { ':now': now } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** The refunds flagged for an operator, oldest first (a handful: each is an alarm). */
  async flagged(): Promise<RefundRecord[]> {
    const found: RefundRecord[] = [];
    const pages = paginateQuery(
      { client: this.db, pageSize: 100 },
      {
        TableName: this.table,
        IndexName: 'ByOutbox',
        KeyConditionExpression: 'outboxPk = :refunds',
        FilterExpression: 'attribute_exists(flaggedAt)',
        ExpressionAttributeValues: { ':refunds': REFUND_OUTBOX_PK },
      },
    );
    for await (const page of pages) found.push(...(page.Items ?? []).map((item) => recordOf(refundRecord, item)));
    return found;
  }

  /** An operator re-queues a flagged refund: the relay tries it at its next run, with a fresh count of attempts. False if it was not flagged. */
  async requeue(paymentId: number, refundId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: refundKey(paymentId, refundId),
          UpdateExpression: 'REMOVE flaggedAt, nextTryAt, attempts',
          ConditionExpression: 'attribute_exists(flaggedAt)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async get(paymentId: number, refundId: string): Promise<RefundRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: refundKey(paymentId, refundId), ConsistentRead: true }));
    return out.Item ? recordOf(refundRecord, out.Item) : undefined;
  }

  /** The payment's refunds, oldest id first (a payment has a handful at most). */
  async forPayment(paymentId: number): Promise<RefundRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :refund)',
        ExpressionAttributeValues: { ':pk': `PAY#${paymentId}`, ':refund': 'REFUND#' },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((item) => recordOf(refundRecord, item));
  }
}
