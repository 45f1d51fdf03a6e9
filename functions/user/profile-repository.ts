import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed, transactionConflict } from '../../shared/conditions';
import { recordOf } from '../../shared/records';
import type { Role } from './tokens';

/**
 * Profile changes and the session facts the authorizer reads, on the user table's USER#<id> and
 * MOBILE#<mobile> items (keys: user-repository.ts). USER#<id> carries `avatar` (optional) and
 * `sessionVersion`; MOBILE#<mobile> carries a copy of `name` (login puts it in the token) and of
 * `sessionVersion` (login reads it with the hash it checks, so a token is never issued with the
 * version of a password other than the one it checked).
 */
export interface UserSession {
  role: Role;
  /** The current display name and avatar (not the token's copy): what comments show. */
  name: string;
  avatar: string;
  /** Raised by every password change; tokens carrying another one are refused. */
  sessionVersion: number;
}

export interface ProfileChanges {
  name?: string;
  gender?: number;
  avatar?: string;
}

export interface ProfileStore {
  /** Read strongly consistent on every authorizer decision; undefined when there is no such user. */
  findSession(uid: number): Promise<UserSession | undefined>;
  /** Changes the profile (and the credential's copy of the name). */
  updateProfile(uid: number, mobile: string, changes: ProfileChanges): Promise<WriteOutcome>;
  /**
   * Replaces the hash if it is still `previous`, and sets the session version to `nextVersion` on
   * both items, in one transaction (`refused` when the hash was changed meanwhile).
   */
  changePassword(uid: number, mobile: string, previous: string, next: string, nextVersion: number): Promise<WriteOutcome>;
}

/** `refused`: a condition did not hold (no such user, or changed meanwhile); `contended`: another write held an item. */
export type WriteOutcome = 'done' | 'refused' | 'contended';

const sessionRecord = z.object({
  role: z.enum(['user', 'admin']).default('user'),
  name: z.string().default(''),
  avatar: z.string().default(''),
  sessionVersion: z.number().default(0),
});

export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findSession(uid: number): Promise<UserSession | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `USER#${uid}` },
        ConsistentRead: true,
        ProjectionExpression: 'pk, #role, #name, avatar, sessionVersion',
        ExpressionAttributeNames: { '#role': 'role', '#name': 'name' },
      }),
    );
    return out.Item ? recordOf(sessionRecord, out.Item) : undefined;
  }

  async updateProfile(uid: number, mobile: string, changes: ProfileChanges): Promise<WriteOutcome> {
    const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
    const names = Object.fromEntries(fields.map(([field], i) => [`#f${i}`, field]));
    const values = Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value]));
    const now = new Date().toISOString();
    const profile = {
      Update: {
        TableName: this.tableName,
        Key: { pk: `USER#${uid}` },
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}, profileChangedAt = :now`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':now': now },
      },
    };
    const credentialName = {
      Update: {
        TableName: this.tableName,
        Key: { pk: `MOBILE#${mobile}` },
        UpdateExpression: 'SET #name = :name',
        ConditionExpression: 'attribute_exists(pk) AND uid = :uid',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': changes.name, ':uid': uid },
      },
    };
    return this.write(changes.name === undefined ? [profile] : [profile, credentialName]);
  }

  async changePassword(uid: number, mobile: string, previous: string, next: string, nextVersion: number): Promise<WriteOutcome> {
    return this.write([
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: `MOBILE#${mobile}` },
          UpdateExpression: 'SET passwordHash = :next, sessionVersion = :version, passwordChangedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND uid = :uid AND passwordHash = :previous',
          ExpressionAttributeValues: { ':next': next, ':previous': previous, ':version': nextVersion, ':uid': uid, ':now': Date.now() },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: `USER#${uid}` },
          UpdateExpression: 'SET sessionVersion = :version',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':version': nextVersion },
        },
      },
    ]);
  }

  private async write(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<WriteOutcome> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (error) {
      if (conditionFailed(error)) return 'refused';
      if (transactionConflict(error)) return 'contended';
      throw error;
    }
  }
}
