import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Hands out positive integer ids from a counter item, a block at a time.
 *
 * The counter is one item, so writing it per record would make it a hot spot. Instead each
 * container reserves a block with one atomic ADD and serves ids from memory. Blocks start at
 * one id and double up to `maxBlock`, so a fresh deployment's first record is id 1 and a quiet
 * service gets nearly consecutive ids, while a busy one writes the counter about once per
 * `maxBlock` records (DynamoDB allows 1,000 writes per second on one item, so roughly
 * `1000 * maxBlock` records per second before the counter throttles). Ids reserved by a
 * container that stops are never used: ids are unique and increasing per container, not gapless.
 */
export class IdAllocator {
  private next = 0;
  private last = -1;
  private blockSize = 1;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly key: Record<string, string>,
    private readonly maxBlock = 100,
  ) {}

  async nextId(): Promise<number> {
    while (this.next > this.last) {
      this.pending ??= this.reserveBlock().finally(() => (this.pending = undefined));
      await this.pending;
    }
    return this.next++;
  }

  private async reserveBlock(): Promise<void> {
    const size = this.blockSize;
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        UpdateExpression: 'ADD lastId :size',
        ExpressionAttributeValues: { ':size': size },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(out.Attributes?.lastId);
    this.last = last;
    this.next = last - size + 1;
    this.blockSize = Math.min(size * 2, this.maxBlock);
  }
}
