import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import type { UserProfile } from './schemas';

/**
 * The user table, one item per fact, keyed by `pk`:
 *   USER#<id>       the profile                      (userinfo)
 *   MOBILE#<mobile> uid, name and password hash      (login; makes mobiles unique)
 *   REVOKED#<jti>   a logged-out token, kept until it expires (TTL attribute expiresAt)
 *   COUNTER#user    the id allocator's counter
 */
const credentialRecord = z.object({
  uid: z.number(),
  mobile: z.string(),
  /** Copied from the profile so login can put it in the token without a second read. */
  name: z.string().default(''),
  passwordHash: z.string(),
});
export type Credential = z.infer<typeof credentialRecord>;

const profileRecord = z.object({ id: z.number(), name: z.string(), gender: z.number(), mobile: z.string() });

export class MobileTakenError extends Error {}

export interface UserStore {
  nextUserId(): Promise<number>;
  /** Writes profile and credential together; throws MobileTakenError if the mobile is registered. */
  create(profile: UserProfile, passwordHash: string): Promise<void>;
  findCredential(mobile: string): Promise<Credential | undefined>;
  findProfile(uid: number): Promise<UserProfile | undefined>;
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isTokenRevoked(jti: string): Promise<boolean>;
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
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: `USER#${profile.id}`, ...profile, createdAt: now },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: `MOBILE#${profile.mobile}`,
                  uid: profile.id,
                  mobile: profile.mobile,
                  name: profile.name,
                  passwordHash,
                  createdAt: now,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
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
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `MOBILE#${mobile}` } }));
    return out.Item ? recordOf(credentialRecord, out.Item) : undefined;
  }

  async findProfile(uid: number): Promise<UserProfile | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `USER#${uid}` } }));
    return out.Item ? recordOf(profileRecord, out.Item) : undefined;
  }

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
}
