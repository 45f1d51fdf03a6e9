import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type OrderRecord, openKeys, stateKeysOf, updateOrderIf } from './order-table';

type AfterSale = NonNullable<OrderRecord['afterSale']>;

/** The reason a returned order ends cancelled with (the cancel run's, and its refund's). */
export const RETURNED = 'RETURNED';
/** The cancel run that undoes a returned order: the same name as a buyer's cancel, which a received order never had. */
export const returnRun = (id: number) => `cancel-${id}`;

/**
 * After-sale's conditional writes on the order item (issue 12). Each holds only from the state
 * it expects, so a request racing the sweeper's completion, or two admins deciding at once,
 * make exactly one move; the loser reads the order and answers from it.
 *   received --request--> after_sale (afterSale requested)
 *   after_sale --reject--> received (rejected; the return window still counts from receipt)
 *   after_sale --approve, goods kept--> after_sale (approved; on ByOpen) --refund asked--> received
 *   after_sale --approve, goods returned--> cancelling (approved; the cancel run) --> cancelled
 */
export class AfterSaleRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The owner's received order, received after `receivedAfter` (the window), with no request before, enters after-sale. */
  request(id: number, uid: number, afterSale: AfterSale, receivedAfter: number): Promise<OrderRecord | undefined> {
    return this.update(id, {
      set: { state: 'after_sale', afterSale, updatedAt: afterSale.requestedAt, ...stateKeysOf(id, 'after_sale', afterSale.requestedAt) },
      when: {
        condition: '#state = :received AND #uid = :uid AND attribute_not_exists(#afterSale) AND #receivedAt > :after',
        names: { '#state': 'state', '#uid': 'uid', '#afterSale': 'afterSale', '#receivedAt': 'receivedAt' },
        values: { ':received': 'received', ':uid': uid, ':after': receivedAfter },
      },
    });
  }

  /** The admin rejects: back to received, on ByState from its receipt, so the sweeper completes it when the window ends. */
  reject(order: OrderRecord, note: string, now: number): Promise<OrderRecord | undefined> {
    return this.update(order.id, {
      set: { state: 'received', updatedAt: now, ...stateKeysOf(order.id, 'received', order.receivedAt!) },
      decision: { state: 'rejected', note, decidedAt: now },
      when: inAfterSale('requested'),
    });
  }

  /**
   * The admin approves a refund of goods the buyer keeps: the order stays in after-sale until the
   * refund is asked for (settled), on ByOpen meanwhile, so the sweeper finishes an approval that
   * stopped here.
   */
  approveRefund(id: number, now: number): Promise<OrderRecord | undefined> {
    return this.update(id, {
      set: { updatedAt: now, ...openKeys({ id, createdAt: now }) },
      decision: { state: 'approved', goodsReturned: false, decidedAt: now },
      when: inAfterSale('requested'),
    });
  }

  /** The refund of an approved request was asked for: the order is received again, and completes when the window ends. */
  settled(order: OrderRecord, now: number): Promise<OrderRecord | undefined> {
    return this.update(order.id, {
      set: { state: 'received', updatedAt: now, ...stateKeysOf(order.id, 'received', order.receivedAt!) },
      remove: ['openPk', 'openKey'],
      when: inAfterSale('approved'),
    });
  }

  /**
   * The admin approves a return of the goods: the order is cancelling (on ByOpen, so the
   * sweeper restarts its run if it stops) with reason RETURNED, off ByState.
   */
  approveReturn(id: number, now: number): Promise<OrderRecord | undefined> {
    return this.update(id, {
      set: { state: 'cancelling', updatedAt: now, run: returnRun(id), reason: RETURNED, ...openKeys({ id, createdAt: now }) },
      remove: ['statePk', 'stateKey'],
      decision: { state: 'approved', goodsReturned: true, decidedAt: now },
      when: inAfterSale('requested'),
    });
  }

  /** One conditional update of the order: the order as now stored, or undefined if the condition did not hold. */
  private async update(
    id: number,
    change: {
      set: Record<string, unknown>;
      remove?: string[];
      /** Fields of afterSale to set. */
      decision?: Partial<AfterSale>;
      when: { condition: string; names: Record<string, string>; values: Record<string, unknown> };
    },
  ): Promise<OrderRecord | undefined> {
    const names = { ...change.when.names };
    const values = { ...change.when.values };
    const assignments = Object.entries(change.set).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    Object.entries(change.decision ?? {}).forEach(([field, value], i) => {
      names[`#d${i}`] = field;
      values[`:d${i}`] = value;
      assignments.push(`#afterSale.#d${i} = :d${i}`);
    });
    return updateOrderIf(this.db, this.table, id, {
      UpdateExpression: `SET ${assignments.join(', ')}${change.remove ? ` REMOVE ${change.remove.join(', ')}` : ''}`,
      ConditionExpression: change.when.condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }
}

/** The condition of a decision and of its settling: the order is in after-sale, its request in `decision`. */
const inAfterSale = (decision: 'requested' | 'approved') => ({
  condition: '#state = :inAfterSale AND #afterSale.#decision = :decision',
  names: { '#state': 'state', '#afterSale': 'afterSale', '#decision': 'state' },
  values: { ':inAfterSale': 'after_sale', ':decision': decision },
});
