import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Barrier } from '../../shared/barrier';
import { IdAllocator } from '../../shared/ids';

/**
 * The payment table:
 *   PAY#<id> / PAY          a payment record (go-zero-mall's pay service)
 *   ORDER#<oid> / PAY       the payment of an order: at most one per order
 *   BARRIER#<gid>#payment   the saga's barriers
 */
export type PaymentStatus = 'awaiting' | 'paid' | 'closed';

export interface PaymentRecord {
  id: number;
  uid: number;
  oid: number;
  amount: number;
  source: number;
  status: PaymentStatus;
  createdAt: number;
}

const paymentKey = (id: number) => ({ pk: `PAY#${id}`, sk: 'PAY' });
const orderKey = (oid: number) => ({ pk: `ORDER#${oid}`, sk: 'PAY' });

export class PaymentRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, { pk: 'COUNTER#payment', sk: 'COUNTER' });
  }

  nextId(): Promise<number> {
    return this.ids.nextId();
  }

  /** The order's payment record, awaiting payment, written with the saga's barrier. */
  create(barrier: Barrier, gid: string, payment: PaymentRecord) {
    return barrier.action(gid, 'payment', { paymentId: payment.id }, [
      { Put: { TableName: this.table, Item: { ...paymentKey(payment.id), ...payment }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.table, Item: { ...orderKey(payment.oid), paymentId: payment.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
  }

  /** Closes the order's payment if the saga created one and it is still awaiting payment. */
  close(barrier: Barrier, gid: string) {
    return barrier.compensate<{ paymentId: number }>(gid, 'payment', ({ paymentId }) => [
      {
        Update: {
          TableName: this.table,
          Key: paymentKey(paymentId),
          UpdateExpression: 'SET #status = :closed, closedAt = :now',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closed': 'closed', ':awaiting': 'awaiting', ':now': Date.now() },
        },
      },
    ]);
  }

  async get(id: number): Promise<PaymentRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: paymentKey(id), ConsistentRead: true }));
    return out.Item as PaymentRecord | undefined;
  }

  async forOrder(oid: number): Promise<PaymentRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: orderKey(oid), ConsistentRead: true }));
    return out.Item ? this.get(out.Item.paymentId) : undefined;
  }
}
