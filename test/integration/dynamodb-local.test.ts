import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { nonLoopbackAddress, tryConnect } from '../network';

// DynamoDB Local as the local cloud runs it: reachable on loopback only, and with AWS's limits.
let dynamo: DynamoDbLocal;
let db: DynamoDBDocumentClient;
const TABLE = 'Limits';

beforeAll(async () => {
  dynamo = await DynamoDbLocal.start();
  await dynamo.createTables([
    {
      logicalId: TABLE,
      name: TABLE,
      properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      },
    },
  ]);
  db = DynamoDBDocumentClient.from(dynamo.client());
}, 90_000);

afterAll(async () => {
  db?.destroy();
  await dynamo?.stop();
});

const puts = (n: number) => Array.from({ length: n }, (_, k) => ({ Put: { TableName: TABLE, Item: { pk: `item-${n}-${k}`, n: k } } }));

describe('DynamoDB Local in the local cloud', () => {
  const address = nonLoopbackAddress();
  it.skipIf(!address)('refuses connections that do not come through loopback', async () => {
    const port = Number(new URL(dynamo.endpoint).port);
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect(address!, port)).toBe('ECONNREFUSED');
  });

  it('enforces the 100-item limit of a transaction, as DynamoDB does', async () => {
    await db.send(new TransactWriteCommand({ TransactItems: puts(100) }));
    await expect(db.send(new TransactWriteCommand({ TransactItems: puts(101) }))).rejects.toThrow(/100/);
  });
});
