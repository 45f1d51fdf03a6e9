import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonLoopbackAddress, tryConnect } from '../network';
import { localTable } from './local-table';

// DynamoDB Local as the local cloud runs it: reachable on loopback only, and with AWS's limits.
let local: Awaited<ReturnType<typeof localTable>>;
const TABLE = 'Limits';

beforeAll(async () => {
  local = await localTable(TABLE);
}, 90_000);

afterAll(() => local?.stop());

const puts = (n: number) =>
  Array.from({ length: n }, (_, k) => ({ Put: { TableName: TABLE, Item: { pk: `item-${n}-${k}`, sk: 'ITEM', n: k } } }));

describe('DynamoDB Local in the local cloud', () => {
  const address = nonLoopbackAddress();
  it.skipIf(!address)('refuses connections that do not come through loopback', async () => {
    const port = Number(new URL(local.dynamo.endpoint).port);
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect(address!, port)).toBe('ECONNREFUSED');
  });

  it('enforces the 100-item limit of a transaction, as DynamoDB does', async () => {
    await local.db.send(new TransactWriteCommand({ TransactItems: puts(100) }));
    await expect(local.db.send(new TransactWriteCommand({ TransactItems: puts(101) }))).rejects.toThrow(/100/);
  });
});
