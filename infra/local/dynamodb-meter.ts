export interface DynamoStats {
  requests: Record<string, number>;
  /** Estimated write capacity units: 1 per write of an item under 1 KB, 2 per item in a transaction. */
  writeUnits: number;
  /** The same, by table. */
  writeUnitsByTable: Record<string, number>;
  /** Estimated read capacity units: 1 per strongly consistent read of an item under 4 KB, 0.5 eventually consistent. */
  readUnits: number;
}

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/**
 * A meter of the functions' DynamoDB requests, for benchmarks: counts requests by operation and
 * estimates the capacity units they would consume on DynamoDB (conditional writes that fail
 * count too, as they do on AWS; requests IAM refused do not). Estimates assume items under
 * 1 KB, which the mall's are. The IAM proxy (dynamodb-iam.ts) feeds it each request it lets
 * through, so metering adds no hop of its own.
 */
export class DynamoMeter {
  stats: DynamoStats = { requests: {}, writeUnits: 0, writeUnitsByTable: {}, readUnits: 0 };

  reset(): void {
    this.stats = { requests: {}, writeUnits: 0, writeUnitsByTable: {}, readUnits: 0 };
  }

  /** Counts one request: its operation (from X-Amz-Target) and its parsed input. */
  count(operation: string, input: any): void {
    if (!operation) return;
    this.stats.requests[operation] = (this.stats.requests[operation] ?? 0) + 1;
    const read = (consistent: boolean | undefined, items = 1) => (this.stats.readUnits += items * (consistent ? 1 : 0.5));
    const write = (table: string, units: number) => {
      this.stats.writeUnits += units;
      this.stats.writeUnitsByTable[table] = (this.stats.writeUnitsByTable[table] ?? 0) + units;
    };
    if (SINGLE_WRITES.has(operation)) write(input.TableName, 1);
    else if (operation === 'TransactWriteItems')
      for (const item of input.TransactItems ?? []) write((Object.values(item)[0] as { TableName: string }).TableName, 2);
    else if (operation === 'BatchWriteItem')
      for (const [table, requests] of Object.entries<unknown[]>(input.RequestItems ?? {})) write(table, requests.length);
    else if (operation === 'GetItem') read(input.ConsistentRead);
    else if (operation === 'BatchGetItem')
      for (const r of Object.values<any>(input.RequestItems ?? {})) read(r.ConsistentRead, r.Keys?.length ?? 0);
    else if (operation === 'Query') read(input.ConsistentRead, 1);
  }
}
