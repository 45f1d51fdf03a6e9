import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type OrderRecord, orderKey, payPkOf, visibleKeys } from '../../functions/order/order-table';

/** An order of one 100-cent item awaiting payment, as stored: visible to its owner, on ByPayDue with `payDue`. */
export function awaitingOrderItem(id: number, uid: number, createdAt: number, payDue: number, fields: Partial<OrderRecord> = {}) {
  const o: OrderRecord = {
    id,
    uid,
    items: [{ pid: 1, name: 'x', price: 100, num: 1 }],
    total: 100,
    discount: 0,
    amount: 100,
    fromCart: false,
    state: 'awaiting_payment',
    createdAt,
    updatedAt: createdAt,
    ...fields,
  };
  return { ...orderKey(id), ...o, ...visibleKeys(o), payPk: payPkOf(id), payDue };
}

/** Writes the items, 25 to a batch. */
export async function putItems(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}
