import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderSagaRepository } from '../../functions/order/order-saga-repository';
import { orderKey } from '../../functions/order/order-table';
import { Barrier } from '../../shared/barrier';
import { localTables, tableSpec } from './local-tables';

// The order's own saga steps against a real DynamoDB engine: the order item is its own barrier
// (no barrier items), yet DTM's guarantees hold: a repeated delivery changes nothing and
// succeeds, a step arriving after its compensation does nothing.
let tables: Awaited<ReturnType<typeof localTables>>;
let db: DynamoDBDocumentClient;
let orders: OrderSagaRepository;
const TABLE = 'Orders';

beforeAll(async () => {
  tables = await localTables(tableSpec(TABLE));
  db = tables.db;
  orders = new OrderSagaRepository(db, new Barrier(db, TABLE), TABLE);
}, 120_000);

afterAll(() => tables?.stop());

let nextId = 1;
async function pendingOrder() {
  const id = nextId++;
  await db.send(new PutCommand({ TableName: TABLE, Item: { ...orderKey(id), id, state: 'pending', openPk: 'OPEN#1', openKey: 1 } }));
  return id;
}
const order = async (id: number) => (await db.send(new GetCommand({ TableName: TABLE, Key: orderKey(id) }))).Item!;

describe("the order's saga steps", () => {
  it('OpenOrder reads: a pending order enters its saga, any other does not, and nothing is written', async () => {
    const id = await pendingOrder();
    const before = await order(id);
    expect(await orders.open(id)).toBe('pending');
    expect(await orders.open(id)).toBe('pending'); // delivered twice
    expect(await order(id)).toEqual(before);
    await orders.cancel(`order-${id}`, id, 'INSUFFICIENT_STOCK');
    expect(await orders.open(id)).toBe('not-pending');
    expect(await orders.open(999_999)).toBe('not-pending');
  });

  it('MarkAwaitingPayment delivered twice: done both times, the order waits for that payment once', async () => {
    const id = await pendingOrder();
    expect(await orders.awaitPayment(id, 77, 123)).toBe('done');
    const first = await order(id);
    expect(first).toMatchObject({ state: 'awaiting_payment', paymentId: 77, payDue: 123 });
    expect(first.openPk).toBeUndefined();
    expect(await orders.awaitPayment(id, 77, 456)).toBe('done'); // the repeat writes nothing
    expect(await order(id)).toEqual(first);
    expect(await orders.awaitPayment(id, 78, 456)).toBe('refused'); // another payment: not this step's delivery
  });

  it('MarkAwaitingPayment after the compensation (no hanging): refused, the order stays cancelled', async () => {
    const id = await pendingOrder();
    await orders.cancel(`order-${id}`, id, 'SAGA_ABORTED');
    expect(await orders.awaitPayment(id, 5, 123)).toBe('refused');
    expect(await order(id)).toMatchObject({ state: 'cancelled', reason: 'SAGA_ABORTED' });
    expect((await order(id)).paymentId).toBeUndefined();
  });

  it('a repeat after the order was paid, or cancelled once it awaited payment, is done and changes nothing', async () => {
    const id = await pendingOrder();
    expect(await orders.awaitPayment(id, 9, 123)).toBe('done');
    await orders.cancel(`order-${id}`, id, 'PAYMENT_TIMEOUT');
    const cancelled = await order(id);
    expect(await orders.awaitPayment(id, 9, 456)).toBe('done');
    expect(await order(id)).toEqual(cancelled);
  });
});
