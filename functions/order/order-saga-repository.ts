import type { Barrier } from '../../shared/barrier';
import { orderKey, payPkOf } from './order-table';

/**
 * The order's writes as a saga participant, each once per saga, in one transaction with the
 * saga's barrier: OpenOrder, MarkAwaitingPayment and the compensation CancelOrder.
 */
export class OrderSagaRepository {
  constructor(
    private readonly barrier: Barrier,
    private readonly table: string,
  ) {}

  /** Saga step OpenOrder: the order enters the saga, once, if it is still pending. */
  open(gid: string, id: number) {
    return this.barrier.action(gid, 'order', {}, [
      {
        Update: {
          TableName: this.table,
          Key: orderKey(id),
          UpdateExpression: 'SET sagaAt = :now',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': Date.now() },
        },
      },
    ]);
  }

  /** Saga step MarkAwaitingPayment: the order must be paid by `payDue` (Unix ms). */
  awaitPayment(gid: string, id: number, paymentId: number, payDue: number) {
    return this.barrier.action(gid, 'confirm', { paymentId }, [
      {
        Update: {
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
        },
      },
    ]);
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
