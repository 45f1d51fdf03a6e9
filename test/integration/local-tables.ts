import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLocal } from '../../infra/local/dynamodb-local';

/** A service table as the data stack makes it: pk/sk, and sparse indexes [name, partition (S), sort (N)]. */
export function tableSpec(name: string, indexes: Array<[string, string, string]> = []) {
  const key = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' },
    { AttributeName: sk, KeyType: 'RANGE' },
  ];
  return {
    logicalId: name,
    name,
    properties: {
      KeySchema: key('pk', 'sk'),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        ...indexes.flatMap(([, pk, sk]) => [
          { AttributeName: pk, AttributeType: 'S' },
          { AttributeName: sk, AttributeType: 'N' },
        ]),
      ],
      GlobalSecondaryIndexes: indexes.map(([IndexName, pk, sk]) => ({
        IndexName,
        KeySchema: key(pk, sk),
        Projection: { ProjectionType: 'ALL' },
      })),
    },
  };
}

/** DynamoDB Local with the tables; `stop` when done. */
export async function localTables(...tables: ReturnType<typeof tableSpec>[]) {
  const dynamo = await DynamoDbLocal.start();
  await dynamo.createTables(tables);
  const db = DynamoDBDocumentClient.from(dynamo.client());
  return {
    db,
    endpoint: dynamo.endpoint,
    stop: async () => {
      db.destroy();
      await dynamo.stop();
    },
  };
}
