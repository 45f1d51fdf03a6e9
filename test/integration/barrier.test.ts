import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Barrier } from '../../shared/barrier';
import { localTable } from './local-table';

// DTM's sub-transaction barrier against a real DynamoDB engine, on a toy "balance" item.
let local: Awaited<ReturnType<typeof localTable>>;
let db: DynamoDBDocumentClient;
let barrier: Barrier;
const TABLE = 'Barriers';

beforeAll(async () => {
  local = await localTable(TABLE);
  db = local.db;
  barrier = new Barrier(db, TABLE);
});

afterAll(() => local?.stop());

async function account(name: string, opening: number) {
  await db.send(new PutCommand({ TableName: TABLE, Item: { pk: name, sk: 'ACCOUNT', balance: opening } }));
  const take = (amount: number) => ({
    Update: {
      TableName: TABLE,
      Key: { pk: name, sk: 'ACCOUNT' },
      UpdateExpression: 'ADD balance :minus',
      ConditionExpression: 'balance >= :amount',
      ExpressionAttributeValues: { ':minus': -amount, ':amount': amount },
    },
  });
  const give = (amount: number) => ({
    Update: {
      TableName: TABLE,
      Key: { pk: name, sk: 'ACCOUNT' },
      UpdateExpression: 'ADD balance :amount',
      ExpressionAttributeValues: { ':amount': amount },
    },
  });
  const balance = async () =>
    (await db.send(new GetCommand({ TableName: TABLE, Key: { pk: name, sk: 'ACCOUNT' }, ConsistentRead: true }))).Item!.balance;
  return { take, give, balance };
}

describe('Barrier', () => {
  it('runs an action once, however often it is delivered, and returns its data each time', async () => {
    const acct = await account('a1', 100);
    const first = await barrier.action('g1', 'pay', { amount: 30 }, [acct.take(30)]);
    const again = await barrier.action('g1', 'pay', { amount: 99 }, [acct.take(30)]);
    expect(first).toEqual({ status: 'done', data: { amount: 30 } });
    expect(again).toEqual({ status: 'done', data: { amount: 30 } });
    expect(await acct.balance()).toBe(70);
  });

  it('reports a refused business condition, writing nothing (not even the barrier)', async () => {
    const acct = await account('a2', 10);
    expect(await barrier.action('g2', 'pay', {}, [acct.take(50)])).toEqual({ status: 'refused', failedItem: 0 });
    expect(await acct.balance()).toBe(10);
    expect(await barrier.action('g2', 'pay', {}, [acct.take(5)])).toEqual({ status: 'done', data: {} });
  });

  it('compensates once what the action did, using the data it kept', async () => {
    const acct = await account('a3', 100);
    await barrier.action('g3', 'pay', { amount: 40 }, [acct.take(40)]);
    const undo = ({ amount }: { amount: number }) => [acct.give(amount)];
    expect(await barrier.compensate('g3', 'pay', undo)).toBe('compensated');
    expect(await barrier.compensate('g3', 'pay', undo)).toBe('already-done');
    expect(await acct.balance()).toBe(100);
  });

  it('makes a compensation before its action empty, and blocks the late action (no hanging)', async () => {
    const acct = await account('a4', 100);
    let undoCalled = false;
    expect(
      await barrier.compensate('g4', 'pay', () => {
        undoCalled = true;
        return [acct.give(1)];
      }),
    ).toBe('empty');
    expect(undoCalled).toBe(false);
    expect(await barrier.action('g4', 'pay', {}, [acct.take(10)])).toEqual({ status: 'blocked' });
    expect(await barrier.compensate('g4', 'pay', () => [acct.give(1)])).toBe('already-done');
    expect(await acct.balance()).toBe(100);
  });

  it('keeps actions of different sagas and branches apart', async () => {
    const acct = await account('a5', 100);
    await barrier.action('g5', 'pay', {}, [acct.take(10)]);
    await barrier.action('g5', 'other', {}, [acct.take(10)]);
    await barrier.action('g6', 'pay', {}, [acct.take(10)]);
    expect(await acct.balance()).toBe(70);
  });

  it('lets exactly one of racing deliveries act', async () => {
    const acct = await account('a6', 1000);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => barrier.action('g7', 'pay', {}, [acct.take(100)])));
    // Losers of the race see the barrier (done) or a transaction conflict (thrown: retried by the saga).
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
    expect(await acct.balance()).toBe(900);
  });

  it('runs a follow-up once, only while its action stands, marked on the action barrier', async () => {
    const acct = await account('a8', 100);
    await barrier.action('g8', 'pay', { amount: 10 }, [acct.take(10)]);
    expect(await barrier.followUp('g8', 'pay', 'confirm', [acct.give(1)])).toBe('done');
    expect(await barrier.followUp('g8', 'pay', 'confirm', [acct.give(1)])).toBe('already-done');
    expect(await acct.balance()).toBe(91);
    // The compensation may still run after a follow-up; a follow-up may not run after it.
    expect(await barrier.compensate('g8', 'pay', ({ amount }: { amount: number }) => [acct.give(amount)])).toBe('compensated');
    expect(await barrier.followUp('g8', 'pay', 'other', [acct.give(1)])).toBe('not-standing');
    expect(await acct.balance()).toBe(101);
    // One item per branch: the marks live on the action's barrier.
    const item = (await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'BARRIER#g8#pay', sk: 'action' }, ConsistentRead: true })))
      .Item!;
    expect(item).toMatchObject({ origin: 'action', confirmAt: expect.any(Number), compensatedAt: expect.any(Number) });
  });

  it('refuses a follow-up of an action that never ran, or that a compensation blocked', async () => {
    const acct = await account('a9', 100);
    expect(await barrier.followUp('g9', 'pay', 'confirm', [acct.give(1)])).toBe('not-standing');
    expect(await barrier.compensate('g9', 'pay', () => [acct.give(1)])).toBe('empty');
    expect(await barrier.followUp('g9', 'pay', 'confirm', [acct.give(1)])).toBe('not-standing');
    expect(await acct.balance()).toBe(100);
  });

  it('lets a compensation undo a follow-up exactly when it ran, even one that lands between its read and its write', async () => {
    const acct = await account('a10', 100);
    await barrier.action('g10', 'pay', { amount: 10 }, [acct.take(10)]);
    const seen: boolean[] = [];
    const outcome = await barrier.compensate('g10', 'pay', async ({ amount }: { amount: number }, followedUp) => {
      seen.push(followedUp('confirm'));
      // A confirm (taking 1 more) lands after the compensation read the barrier, before it writes.
      if (seen.length === 1) expect(await barrier.followUp('g10', 'pay', 'confirm', [acct.take(1)])).toBe('done');
      return [acct.give(amount + (followedUp('confirm') ? 1 : 0))];
    });
    expect(outcome).toBe('compensated');
    expect(seen).toEqual([false, true]); // the first write was refused, and the second pass saw the confirm
    expect(await acct.balance()).toBe(100);
  });

  it('keeps an action barrier with no TTL until it is compensated, then gives it one; a barrier for retries gets one at once', async () => {
    const acct = await account('ttl-a', 100);
    const expiry = async (gid: string, branch: string) =>
      (await db.send(new GetCommand({ TableName: TABLE, Key: { pk: `BARRIER#${gid}#${branch}`, sk: 'action' }, ConsistentRead: true })))
        .Item!.expiresAt as number | undefined;
    await barrier.action('ttl-g1', 'pay', {}, [acct.take(10)]);
    // A paid order may be cancelled at any age: the barrier its compensation reads must not expire meanwhile.
    expect(await expiry('ttl-g1', 'pay')).toBeUndefined();
    await barrier.compensate('ttl-g1', 'pay', () => [acct.give(10)]);
    const now = Math.floor(Date.now() / 1000);
    expect(await expiry('ttl-g1', 'pay')).toBeGreaterThan(now + 29 * 86_400);
    await barrier.action('ttl-g1', 'cart', {}, [], 'for-retries');
    expect(await expiry('ttl-g1', 'cart')).toBeGreaterThan(now + 29 * 86_400);
    // An empty compensation's barrier only blocks a late action: it expires too.
    await barrier.compensate('ttl-g2', 'pay', () => [acct.give(99)]);
    expect(await expiry('ttl-g2', 'pay')).toBeGreaterThan(now + 29 * 86_400);
    expect(await acct.balance()).toBe(100);
  });

  it('compensates from the business records when the action barrier is gone, once, and fails loudly when they cannot tell', async () => {
    const acct = await account('lost-a', 100);
    await barrier.action('lost-g1', 'pay', {}, [acct.take(40)]);
    await db.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'BARRIER#lost-g1#pay', sk: 'action' } }));
    const fromRecords = () => [acct.give(40)];
    expect(await barrier.compensate('lost-g1', 'pay', () => [acct.give(40)], fromRecords)).toBe('compensated');
    expect(await barrier.compensate('lost-g1', 'pay', () => [acct.give(40)], fromRecords)).toBe('already-done');
    expect(await acct.balance()).toBe(100);
    // The late action is blocked by the compensation's barrier, as after an empty compensation.
    expect(await barrier.action('lost-g1', 'pay', {}, [acct.take(40)])).toEqual({ status: 'blocked' });

    const unknowable = () => {
      throw new Error('the records say it ran, not what to undo');
    };
    await expect(barrier.compensate('lost-g2', 'pay', () => [], unknowable)).rejects.toThrow('not what to undo');
    // Nothing was written: the next delivery fails the same way until someone looks.
    await expect(barrier.compensate('lost-g2', 'pay', () => [], unknowable)).rejects.toThrow('not what to undo');
  });
});
