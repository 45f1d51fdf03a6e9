import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLocal } from '../../infra/local/dynamodb-local';

/**
 * DynamoDB Local (in memory) as the local cloud starts it, with one table keyed by pk and sk, or
 * by pk alone (`pkOnly`: the user table's shape).
 */
export async function localTable(
  table: string,
  { pkOnly = false } = {},
): Promise<{ dynamo: DynamoDbLocal; db: DynamoDBDocumentClient; stop(): Promise<void> }> {
  const keys = pkOnly ? ['pk'] : ['pk', 'sk'];
  const dynamo = await DynamoDbLocal.start();
  await dynamo.createTables([
    {
      logicalId: table,
      name: table,
      properties: {
        KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i ? 'RANGE' : 'HASH' })),
        AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      },
    },
  ]);
  const db = DynamoDBDocumentClient.from(dynamo.client());
  return {
    dynamo,
    db,
    async stop() {
      db.destroy();
      await dynamo.stop();
    },
  };
}
