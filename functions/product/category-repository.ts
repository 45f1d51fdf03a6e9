import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { TransactItem } from '../../shared/barrier';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { queryRecords } from '../../shared/query-records';
import { recordOf } from '../../shared/records';
import { counterKey } from './catalog-table';
import { ON_SALE } from './schemas';

/**
 * Categories: CATEGORIES / CAT#<id, padded>, all in one partition (a shop has tens or hundreds,
 * read in one query). Each carries two counters kept exact by the transactions that change them:
 * `children` (its child categories) and `products` (products, on or off sale, that name it).
 */
const categoryRecord = z.object({
  id: z.number(),
  name: z.string(),
  /** 0: top level. */
  parentId: z.number(),
  sort: z.number(),
  /** 1 on (shown, assignable), 2 off. */
  status: z.number(),
  children: z.number(),
  products: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CategoryRecord = z.infer<typeof categoryRecord>;

const PARTITION = 'CATEGORIES';
const categoryKey = (id: number) => ({ pk: PARTITION, sk: `CAT#${String(id).padStart(10, '0')}` });

/** Why a category could not be removed. */
export class CategoryBusyError extends Error {}

/** In a product's transaction: the category it now names must exist and be on; the counters follow the move. */
export function categoryUseItems(table: string, from: number, to: number): TransactItem[] {
  if (from === to) return [];
  const items: TransactItem[] = [];
  if (from) {
    items.push({
      Update: {
        TableName: table,
        Key: categoryKey(from),
        UpdateExpression: 'ADD products :minus',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':minus': -1 },
      },
    });
  }
  if (to) {
    items.push({
      Update: {
        TableName: table,
        Key: categoryKey(to),
        UpdateExpression: 'ADD products :one',
        ConditionExpression: 'attribute_exists(pk) AND #status = :on',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':on': ON_SALE },
      },
    });
  }
  return items;
}

export class CategoryRepository {
  private readonly ids: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.ids = new IdAllocator(db, table, counterKey('category'));
  }

  nextId(): Promise<number> {
    return this.ids.nextId();
  }

  async get(id: number): Promise<CategoryRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: categoryKey(id), ConsistentRead: true }));
    return out.Item ? recordOf(categoryRecord, out.Item) : undefined;
  }

  /** Every category, by id. */
  all(consistent = false): Promise<CategoryRecord[]> {
    return queryRecords(this.db, categoryRecord, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PARTITION },
      ConsistentRead: consistent,
    });
  }

  /** A new category; a child also counts on its parent, which must still be a top-level category. False if the parent is not. */
  async create(category: CategoryRecord): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: { ...categoryKey(category.id), ...category },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (!category.parentId) {
      await this.db.send(new PutCommand(put));
      return true;
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Update: {
                TableName: this.table,
                Key: categoryKey(category.parentId),
                UpdateExpression: 'ADD children :one',
                ConditionExpression: 'attribute_exists(pk) AND parentId = :top',
                ExpressionAttributeValues: { ':one': 1, ':top': 0 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error, 1)) return false;
      throw error;
    }
  }

  /** Name, sort and status of a category read earlier; false if it changed (or went) since. */
  async replace(previous: CategoryRecord, next: CategoryRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...categoryKey(next.id), ...next, children: previous.children, products: previous.products },
          ConditionExpression: 'updatedAt = :seen AND children = :children AND products = :products',
          ExpressionAttributeValues: { ':seen': previous.updatedAt, ':children': previous.children, ':products': previous.products },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Removes a category that has no child categories and no products; CategoryBusyError otherwise. */
  async remove(category: CategoryRecord): Promise<void> {
    const remove = {
      TableName: this.table,
      Key: categoryKey(category.id),
      ConditionExpression: 'attribute_exists(pk) AND children = :zero AND products = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    };
    try {
      if (!category.parentId) await this.db.send(new DeleteCommand(remove));
      else {
        const parent = { TableName: this.table, Key: categoryKey(category.parentId), UpdateExpression: 'ADD children :minus' };
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [{ Delete: remove }, { Update: { ...parent, ExpressionAttributeValues: { ':minus': -1 } } }],
          }),
        );
      }
    } catch (error) {
      if (conditionFailed(error)) throw new CategoryBusyError();
      throw error;
    }
  }
}
