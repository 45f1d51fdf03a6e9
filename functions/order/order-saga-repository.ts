import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { orderKey, payPkOf } from './order-table';

/**
 * The order as a saga participant: OpenOrder (a read), MarkAwaitingPayment (one conditional
 * update; the order item is its own barrier) and the compensation CancelOrder (in one
 * transaction with the saga's barrier).
 */
export class OrderSagaRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly barrier: Barrier,
    private readonly table: string,
  ) {}

  /**
   * Saga step OpenOrder: the order may enter its saga if it is still pending. A consistent read,
   * no write: nothing the saga does later needs a mark of it (CancelOrder has its own barrier,
   * and a pending order changes state only through this saga or the sweeper's cancel run).
   */
  async open(id: number): Promise<'pending' | 'not-pending'> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: orderKey(id),
        ProjectionExpression: '#state',
        ExpressionAttributeNames: { '#state': 'state' },
        ConsistentRead: true,
      }),
    );
    return out.Item?.state === 'pending' ? 'pending' : 'not-pending';
  }

  /**
   * Saga step MarkAwaitingPayment: the order must be paid by `payDue` (Unix ms). One conditional
   * update (1 write unit) instead of a transaction with a barrier item (4): the order item is its
   * own barrier. A repeated delivery finds the order already waiting for this payment (or past
   * that: paid, or cancelled after it) and is 'done'; an order no longer pending otherwise (the
   * compensation ran first) is 'refused', and nothing is written.
   */
  async awaitPayment(id: number, paymentId: number, payDue: number): Promise<'done' | 'refused'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression:
            'SET #state = :awaiting, paymentId = :payment, updatedAt = :now, payPk = :payPk, payDue = :payDue REMOVE openPk, openKey',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':awaiting': 'awaiting_payment',
            ':pending': 'pending',
            ':payment': paymentId,
            ':now': Date.now(),
            ':payPk': payPkOf(id),
            ':payDue': payDue,
          },
        }),
      );
      return 'done';
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const out = await this.db.send(new GetCommand({ TableName: this.table, Key: orderKey(id), ConsistentRead: true }));
      return out.Item?.paymentId === paymentId ? 'done' : 'refused';
    }
  }

  /**
   * Compensation CancelOrder: cancels the order (a repeated delivery is a no-op). An order
   * already cancelled or paid is left as it is.
   */
  async cancel(gid: string, id: number, reason: string): Promise<void> {
    // Cancelled before (the barrier), or no longer cancellable (already cancelled or paid): done.
    await this.barrier.once(gid, 'order', 'compensate', [
      {
        Update: {
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression: 'SET #state = :cancelled, reason = :reason, updatedAt = :now REMOVE openPk, openKey, payPk, payDue',
          ConditionExpression: '#state IN (:pending, :awaiting, :cancelling)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':reason': reason,
            ':now': Date.now(),
            ':pending': 'pending',
            ':awaiting': 'awaiting_payment',
            ':cancelling': 'cancelling',
          },
        },
      },
    ]);
  }
}
