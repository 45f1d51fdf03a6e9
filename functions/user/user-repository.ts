import { type DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import type { UserProfile } from './schemas';
import type { Role } from './tokens';

/**
 * The user table, one item per fact, keyed by `pk`:
 *   USER#<id>       the profile, the role and the session version (userinfo; the authorizer reads
 *                   role, name, avatar and version: profile-repository.ts)
 *   MOBILE#<mobile> uid, name, password hash and failed logins (login; makes mobiles unique)
 *   REVOKED#<jti>   a logged-out token, kept until it expires (TTL attribute expiresAt)
 *   FLUSH#authorizers  when the stage's authorizer cache was last flushed (session-repository.ts)
 *   ADDRESSES#<uid> the user's address book, one item (address-repository.ts)
 *   COUNTER#user    the id allocator's counter (COUNTER#address: address ids)
 */
const credentialRecord = z.object({
  uid: z.number(),
  mobile: z.string(),
  /** Copied from the profile so login can put it in the token without a second read. */
  name: z.string().default(''),
  passwordHash: z.string(),
  /** Wrong passwords since the last successful login. */
  failedLogins: z.number().default(0),
  /** Epoch milliseconds before which login is refused without checking the password. */
  lockedUntil: z.number().default(0),
  /** A copy of the user's session version (profile-repository.ts), read with the hash login checks. */
  sessionVersion: z.number().default(0),
});
export type Credential = z.infer<typeof credentialRecord>;

const profileRecord = z.object({ id: z.number(), name: z.string(), gender: z.number(), mobile: z.string(), avatar: z.string().optional() });
/** Users registered before roles were stored have none: they are users. */
const roleRecord = z.object({ role: z.enum(['user', 'admin']).default('user') });

export class MobileTakenError extends Error {}
export class UserNotFoundError extends Error {}
/** The acting admin no longer holds the admin role (taken meanwhile). */
export class NotAdminError extends Error {}

export interface UserStore {
  nextUserId(): Promise<number>;
  /** Writes profile (role user) and credential together; throws MobileTakenError if the mobile is registered. */
  create(profile: UserProfile, passwordHash: string): Promise<void>;
  findCredential(mobile: string): Promise<Credential | undefined>;
  findProfile(uid: number): Promise<UserProfile | undefined>;
  /** The stored role, read strongly consistent; undefined when there is no such user. */
  findRole(uid: number): Promise<Role | undefined>;
  /**
   * Throws UserNotFoundError when there is no such user. With `byAdmin`, only if that user still
   * holds the admin role, checked in the same transaction (NotAdminError otherwise).
   */
  setRole(uid: number, role: Role, byAdmin?: number): Promise<void>;
  /** Counts one more wrong password; returns the count. */
  countLoginFailure(mobile: string): Promise<number>;
  lockLogin(mobile: string, untilMs: number): Promise<void>;
  clearLoginFailures(mobile: string): Promise<void>;
  /** Replaces the hash if it is still `previous` (a concurrent change wins). */
  replacePasswordHash(mobile: string, previous: string, next: string): Promise<void>;
}

export class DynamoUserStore implements UserStore {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.ids = new IdAllocator(db, tableName, { pk: 'COUNTER#user' });
  }

  nextUserId(): Promise<number> {
    return this.ids.nextId();
  }

  async create(profile: UserProfile, passwordHash: string): Promise<void> {
    const now = new Date().toISOString();
    const credential = { pk: `MOBILE#${profile.mobile}`, uid: profile.id, mobile: profile.mobile, name: profile.name, passwordHash };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: `USER#${profile.id}`, ...profile, role: 'user', createdAt: now },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: { TableName: this.tableName, Item: { ...credential, createdAt: now }, ConditionExpression: 'attribute_not_exists(pk)' },
            },
          ],
        }),
      );
    } catch (error) {
      if (conditionFailed(error, 1)) {
        throw new MobileTakenError();
      }
      throw error;
    }
  }

  async findCredential(mobile: string): Promise<Credential | undefined> {
    // Strongly consistent: a lockout must hold from the moment it was written.
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `MOBILE#${mobile}` }, ConsistentRead: true }));
    return out.Item ? recordOf(credentialRecord, out.Item) : undefined;
  }

  async findProfile(uid: number): Promise<UserProfile | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `USER#${uid}` } }));
    return out.Item ? recordOf(profileRecord, out.Item) : undefined;
  }

  async findRole(uid: number): Promise<Role | undefined> {
    // Strongly consistent: a revoked role must be refused right after the revoke returned.
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `USER#${uid}` },
        ConsistentRead: true,
        ProjectionExpression: 'pk, #role',
        ExpressionAttributeNames: { '#role': 'role' },
      }),
    );
    return out.Item ? recordOf(roleRecord, out.Item).role : undefined;
  }

  async setRole(uid: number, role: Role, byAdmin?: number): Promise<void> {
    const change = {
      TableName: this.tableName,
      Key: { pk: `USER#${uid}` },
      UpdateExpression: 'SET #role = :role, roleChangedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: { ':role': role, ':now': new Date().toISOString() },
    };
    try {
      if (byAdmin === undefined) await this.db.send(new UpdateCommand(change));
      else {
        const stillAdmin = {
          TableName: this.tableName,
          Key: { pk: `USER#${byAdmin}` },
          ConditionExpression: '#role = :admin',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':admin': 'admin' },
        };
        await this.db.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: stillAdmin }, { Update: change }] }));
      }
    } catch (error) {
      if (byAdmin !== undefined && conditionFailed(error, 0)) throw new NotAdminError();
      if (conditionFailed(error)) throw new UserNotFoundError();
      throw error;
    }
  }

  /** How many users hold the admin role: a scan, for the operator's script only (never a request path). */
  async countAdmins(): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :user) AND #role = :admin',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':user': 'USER#', ':admin': 'admin' },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async countLoginFailure(mobile: string): Promise<number> {
    const out = await this.update(`MOBILE#${mobile}`, 'ADD failedLogins :one', { values: { ':one': 1 }, returnNew: true });
    return Number(out.Attributes?.failedLogins ?? 1);
  }

  async lockLogin(mobile: string, untilMs: number): Promise<void> {
    await this.update(`MOBILE#${mobile}`, 'SET lockedUntil = :until', { values: { ':until': untilMs } });
  }

  async clearLoginFailures(mobile: string): Promise<void> {
    await this.update(`MOBILE#${mobile}`, 'REMOVE failedLogins, lockedUntil', {});
  }

  async replacePasswordHash(mobile: string, previous: string, next: string): Promise<void> {
    try {
      await this.update(`MOBILE#${mobile}`, 'SET passwordHash = :next', {
        condition: 'passwordHash = :previous',
        values: { ':next': next, ':previous': previous },
      });
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  /** An update of an existing item (never creates one). */
  private update(
    pk: string,
    expression: string,
    options: { condition?: string; names?: Record<string, string>; values?: Record<string, unknown>; returnNew?: boolean },
  ) {
    return this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk },
        UpdateExpression: expression,
        ConditionExpression: ['attribute_exists(pk)', options.condition].filter(Boolean).join(' AND '),
        ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
        ...(options.values ? { ExpressionAttributeValues: options.values } : {}),
        ...(options.returnNew ? { ReturnValues: 'UPDATED_NEW' as const } : {}),
      }),
    );
  }
}
