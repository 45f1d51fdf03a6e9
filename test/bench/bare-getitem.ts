import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The floor for a cold start on this stack (test/bench/cold.ts): a handler that does one
 * DynamoDB GetItem with the bare client, bundled exactly as the mall's functions are.
 */
const client = new DynamoDBClient({});

export async function handler(event: { id: string }) {
  const out = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
  return out.Item ?? null;
}
