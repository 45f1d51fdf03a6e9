import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import { type AddressChanges, type AddressRecord, addressRecord } from './address-schemas';

/**
 * A user's address book is ONE item of the user table, ADDRESSES#<uid>: `book`, a map from the
 * address id to the address, and `defaultId`. One item makes the rules single conditional writes:
 * the size limit is `size(book) < max` on the add itself (concurrent adds cannot pass it
 * together), and "exactly one default" is one attribute that every write keeps pointing at an
 * address of the book. At most 20 addresses of a few hundred bytes: far below the item limit.
 * Address ids come from COUNTER#address, so they are unique across users.
 */
const bookKey = (uid: number) => ({ pk: `ADDRESSES#${uid}` });

const bookRecord = z.object({ book: z.record(z.string(), addressRecord).default({}), defaultId: z.number().optional() });

export interface AddressBook {
  defaultId?: number;
  /** Newest first. */
  addresses: AddressRecord[];
}

/** What a remove that lost a race with another write should do: read the book again. */
export type RemoveOutcome = 'removed' | 'not-found' | 'retry';

export class AddressRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.ids = new IdAllocator(db, tableName, { pk: 'COUNTER#address' });
  }

  nextId(): Promise<number> {
    return this.ids.nextId();
  }

  async get(uid: number): Promise<AddressBook> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: bookKey(uid), ConsistentRead: true }));
    return toBook(out.Item);
  }

  /**
   * Adds the address if the book holds fewer than `max`; it becomes the default if the book has
   * none, or if `makeDefault`. Answers false when the book is full.
   */
  async add(uid: number, address: AddressRecord, max: number, makeDefault: boolean): Promise<boolean> {
    for (;;) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: bookKey(uid),
            UpdateExpression: `SET book.#id = :address, defaultId = ${makeDefault ? ':id' : 'if_not_exists(defaultId, :id)'}`,
            ConditionExpression: 'attribute_exists(book) AND size(book) < :max',
            ExpressionAttributeNames: { '#id': String(address.id) },
            ExpressionAttributeValues: { ':address': address, ':id': address.id, ':max': max },
          }),
        );
        return true;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      const existing = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: bookKey(uid), ConsistentRead: true, ProjectionExpression: 'pk' }),
      );
      if (existing.Item) return false; // the book exists, so it was full
      // The user's first address: make the book (unless a concurrent first add just did; then add to it).
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...bookKey(uid), book: { [String(address.id)]: address }, defaultId: address.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    }
  }

  /** Changes some fields of an address of the book; undefined when the book has no such address. */
  async update(uid: number, id: number, changes: AddressChanges, now: number): Promise<AddressBook | undefined> {
    const fields = Object.entries({ ...changes, updatedAt: now }).filter(([, value]) => value !== undefined);
    return this.write(uid, {
      UpdateExpression: `SET ${fields.map((_, i) => `book.#id.#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(book.#id)',
      ExpressionAttributeNames: { '#id': String(id), ...Object.fromEntries(fields.map(([field], i) => [`#f${i}`, field])) },
      ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
    });
  }

  /** Makes an address of the book the default; undefined when the book has no such address. */
  async setDefault(uid: number, id: number): Promise<AddressBook | undefined> {
    return this.write(uid, {
      UpdateExpression: 'SET defaultId = :id',
      ConditionExpression: 'attribute_exists(book.#id)',
      ExpressionAttributeNames: { '#id': String(id) },
      ExpressionAttributeValues: { ':id': id },
    });
  }

  /**
   * Removes an address, as read in `seen`. Removing the default makes `nextDefault` the default
   * (none when it was the last address). Every case is conditioned on the book still being as
   * read where it matters (the default, the next default still there): 'retry' otherwise.
   */
  async remove(uid: number, id: number, seen: AddressBook, nextDefault: number | undefined): Promise<RemoveOutcome> {
    if (!seen.addresses.some((a) => a.id === id)) return 'not-found';
    const names: Record<string, string> = { '#id': String(id) };
    let write: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> };
    if (seen.defaultId !== id) {
      write = {
        UpdateExpression: 'REMOVE book.#id',
        ConditionExpression: 'attribute_exists(book.#id) AND defaultId <> :id',
        ExpressionAttributeValues: { ':id': id },
      };
    } else if (nextDefault === undefined) {
      write = {
        UpdateExpression: 'REMOVE book.#id, defaultId',
        ConditionExpression: 'attribute_exists(book.#id) AND defaultId = :id AND size(book) = :one',
        ExpressionAttributeValues: { ':id': id, ':one': 1 },
      };
    } else {
      names['#next'] = String(nextDefault);
      write = {
        UpdateExpression: 'REMOVE book.#id SET defaultId = :next',
        ConditionExpression: 'attribute_exists(book.#id) AND defaultId = :id AND attribute_exists(book.#next)',
        ExpressionAttributeValues: { ':id': id, ':next': nextDefault },
      };
    }
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: bookKey(uid), ExpressionAttributeNames: names, ...write }));
      return 'removed';
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return 'retry';
    }
  }

  private async write(
    uid: number,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<AddressBook | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: bookKey(uid), ReturnValues: 'ALL_NEW', ...update }),
      );
      return toBook(out.Attributes);
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }
}

function toBook(item: Record<string, unknown> | undefined): AddressBook {
  if (!item) return { addresses: [] };
  const { book, defaultId } = recordOf(bookRecord, item);
  const addresses = Object.values(book).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  return defaultId === undefined ? { addresses } : { defaultId, addresses };
}
