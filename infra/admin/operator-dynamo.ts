import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/**
 * What the operator's commands share: a DynamoDB client with the operator's own credentials (the
 * default chain), or for the local cloud its DynamoDB Local endpoint; and a table found by name.
 */
export function operatorClient(endpoint?: string): DynamoDBClient {
  return new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
}

/** The one table whose name holds `marker` (e.g. UsersTable), of the stage MALL_STAGE when set; else an error saying to name it. */
export async function findTable(client: DynamoDBClient, marker: string, what: string): Promise<string> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const stage = process.env.MALL_STAGE;
  const candidates = names.filter((name) => name.includes(marker) && (!stage || names.length === 1 || name.includes(stage)));
  if (candidates.length !== 1) {
    throw new Error(`cannot tell the ${what} table (found: ${candidates.join(', ') || 'none'}); name it with --table`);
  }
  return candidates[0]!;
}
