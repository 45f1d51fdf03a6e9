import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableSpec } from './template';

/**
 * DynamoDB's Time to Live, which DynamoDB Local does not run: on every table whose template
 * enables TTL, an item whose TTL attribute is a number of epoch seconds in the past is deleted.
 * As on AWS, an item whose attribute is missing or not a number is never deleted, and the
 * delete is conditional, so an item updated meanwhile to a later time survives. AWS deletes
 * within days of expiry; here a pass runs every minute, and `run(time)` runs one now, as if the
 * clock read `time`.
 */
export class LocalTtl {
  private readonly tables: Array<{ name: string; attribute: string; keys: string[] }>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    tables: TableSpec[],
  ) {
    this.tables = tables
      .filter((t) => t.properties.TimeToLiveSpecification?.Enabled)
      .map((t) => ({
        name: t.name,
        attribute: t.properties.TimeToLiveSpecification.AttributeName,
        keys: (t.properties.KeySchema as Array<{ AttributeName: string }>).map((k) => k.AttributeName),
      }));
  }

  start(everyMs = 60_000): void {
    this.timer = setInterval(() => void this.run().catch((e) => console.error('local TTL pass failed', e)), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass as if it were `time`: what was deleted, as "pk|sk" keys per table. */
  async run(time = new Date()): Promise<Record<string, string[]>> {
    const now = String(Math.floor(time.getTime() / 1000));
    const deleted: Record<string, string[]> = {};
    for (const table of this.tables) {
      const expired = {
        FilterExpression: 'attribute_type(#ttl, :n) AND #ttl < :now',
        ExpressionAttributeNames: { '#ttl': table.attribute },
        ExpressionAttributeValues: { ':n': { S: 'N' }, ':now': { N: now } },
      };
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.client.send(new ScanCommand({ TableName: table.name, ...expired, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
          const key = Object.fromEntries(table.keys.map((k) => [k, item[k]!]));
          try {
            await this.client.send(
              new DeleteItemCommand({
                TableName: table.name,
                Key: key,
                ConditionExpression: expired.FilterExpression,
                ExpressionAttributeNames: expired.ExpressionAttributeNames,
                ExpressionAttributeValues: expired.ExpressionAttributeValues,
              }),
            );
            deleted[table.name] = [...(deleted[table.name] ?? []), table.keys.map((k) => Object.values(key[k]!)[0]).join('|')];
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return deleted;
  }
}
