import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLocal } from '../../infra/local/dynamodb-local';

/** DynamoDB Local (in memory) as the local cloud starts it, with one table keyed by pk and sk. */
export async function localTable(table: string): Promise<{ dynamo: DynamoDbLocal; db: DynamoDBDocumentClient; stop(): Promise<void> }> {
  const dynamo = await DynamoDbLocal.start();
  await dynamo.createTables([
    {
      logicalId: table,
      name: table,
      properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
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
