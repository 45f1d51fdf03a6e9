import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { recordOf } from '../../shared/records';

/** The user table's session facts: REVOKED#<jti> (logged-out tokens) and FLUSH#authorizers (see user-repository.ts). */
export interface SessionStore {
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;
  /**
   * Claims the right to flush the stage's authorizer cache at `nowMs`, if no flush was claimed
   * in the `intervalMs` before; otherwise answers when the last one was claimed.
   */
  claimAuthorizerFlush(nowMs: number, intervalMs: number): Promise<{ claimed: true } | { claimed: false; lastMs: number }>;
}

const FLUSH_KEY = 'FLUSH#authorizers';
const flushRecord = z.object({ flushedAt: z.number() });

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk: `REVOKED#${jti}`, expiresAt } }));
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    // Strongly consistent: a token must be refused right after its logout returned.
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `REVOKED#${jti}` }, ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    return out.Item !== undefined;
  }

  async claimAuthorizerFlush(nowMs: number, intervalMs: number): Promise<{ claimed: true } | { claimed: false; lastMs: number }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: FLUSH_KEY, flushedAt: nowMs },
          ConditionExpression: 'attribute_not_exists(pk) OR flushedAt <= :cutoff',
          ExpressionAttributeValues: { ':cutoff': nowMs - intervalMs },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: FLUSH_KEY }, ConsistentRead: true }));
    return { claimed: false, lastMs: out.Item ? recordOf(flushRecord, out.Item).flushedAt : 0 };
  }
}
