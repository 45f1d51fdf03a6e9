import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { IdAllocator } from '../../shared/ids';

// The id allocator against a real DynamoDB engine (DynamoDB Local).
let dynamo: DynamoDbLocal;
let db: DynamoDBDocumentClient;
let counterWrites = 0;

beforeAll(async () => {
  dynamo = await DynamoDbLocal.start();
  await dynamo.createTables([
    {
      logicalId: 'Ids',
      name: 'Ids',
      properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      },
    },
  ]);
  db = DynamoDBDocumentClient.from(dynamo.client());
  db.middlewareStack.add((next) => async (args) => {
    counterWrites++;
    return next(args);
  });
});

afterAll(async () => {
  db?.destroy();
  await dynamo?.stop();
});

describe('IdAllocator', () => {
  it('starts a fresh deployment at id 1, then 2, 3...', async () => {
    const ids = new IdAllocator(db, 'Ids', { pk: 'COUNTER#fresh' });
    expect([await ids.nextId(), await ids.nextId(), await ids.nextId()]).toEqual([1, 2, 3]);
  });

  it('writes the counter about once per block, not once per id', async () => {
    const ids = new IdAllocator(db, 'Ids', { pk: 'COUNTER#busy' }, 100);
    counterWrites = 0;
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) got.push(await ids.nextId());
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // Blocks of 1, 2, 4, ..., 64, then 100: 7 + 9 = 16 writes for 1,000 ids.
    expect(counterWrites).toBe(16);
  });

  it('never hands out an id twice across many concurrent containers', async () => {
    const containers = Array.from({ length: 6 }, () => new IdAllocator(db, 'Ids', { pk: 'COUNTER#shared' }, 16));
    const all = await Promise.all(containers.map(async (ids) => Promise.all(Array.from({ length: 150 }, () => ids.nextId()))));
    const flat = all.flat();
    expect(new Set(flat).size).toBe(flat.length);
    expect(Math.min(...flat)).toBe(1);
    expect(flat.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
  });
});
