import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { conditionFailed } from '../../shared/conditions';
import { IdAllocator } from '../../shared/ids';
import { recordOf } from '../../shared/records';
import { counterKey, type Page, timeKey } from './catalog-table';

const commentRecord = z.object({
  id: z.number(),
  product_id: z.number(),
  content: z.string(),
  images: z.array(z.string()),
  user: z.object({ id: z.number(), name: z.string(), avatar: z.string() }),
  /** The cursor value: Unix microseconds, unique per comment. */
  comment_time: z.number(),
  createdAt: z.number(),
});
export type CommentRecord = z.infer<typeof commentRecord>;

const banner = z.object({ id: z.number(), title: z.string(), image_url: z.string(), link_url: z.string(), sort: z.number() });
export type Banner = z.infer<typeof banner>;

const flashSaleRecord = z.object({ startTime: z.number(), productIds: z.array(z.number()) });

const commentKey = (productId: number, time: number) => ({ pk: `COMMENTS#${productId}`, sk: String(time).padStart(17, '0') });
const bannerKey = (id: number) => ({ pk: 'BANNERS', sk: `BANNER#${id}` });
const FLASH_SALE_KEY = { pk: 'FLASHSALE', sk: 'CURRENT' };

/** The storefront's own content: comments on products, home banners, the flash sale. */
export class ContentRepository {
  private readonly commentIds: IdAllocator;
  private readonly bannerIds: IdAllocator;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.commentIds = new IdAllocator(db, table, counterKey('comment'));
    this.bannerIds = new IdAllocator(db, table, counterKey('banner'));
  }

  async addComment(comment: Omit<CommentRecord, 'id' | 'comment_time'>): Promise<CommentRecord> {
    const id = await this.commentIds.nextId();
    const record: CommentRecord = { ...comment, id, comment_time: timeKey(comment.createdAt, id) };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...commentKey(comment.product_id, record.comment_time), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  async listComments(productId: number, cursor: number, pageSize: number): Promise<Page<CommentRecord>> {
    const { pk, sk: before } = commentKey(productId, cursor);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: `pk = :p${cursor > 0 ? ' AND sk < :cursor' : ''}`,
        ExpressionAttributeValues: { ':p': pk, ...(cursor > 0 ? { ':cursor': before } : {}) },
        ScanIndexForward: false,
        Limit: pageSize + 1,
      }),
    );
    const items = out.Items ?? [];
    const page = items.slice(0, pageSize).map((item) => recordOf(commentRecord, item));
    return { items: page, isEnd: items.length <= pageSize, last: page.at(-1)?.comment_time ?? 0 };
  }

  async listBanners(): Promise<Banner[]> {
    const found: Banner[] = [];
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': bannerKey(0).pk } },
    );
    for await (const page of pages) found.push(...(page.Items ?? []).map((item) => recordOf(banner, item)));
    return found.sort((a, b) => a.sort - b.sort || a.id - b.id);
  }

  /** Creates a banner, or replaces an existing one; undefined if `id` names no banner. */
  async saveBanner(input: Omit<Banner, 'id'> & { id?: number }): Promise<Banner | undefined> {
    const id = input.id ?? (await this.bannerIds.nextId());
    const saved = { ...input, id };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...bannerKey(id), ...saved },
          ConditionExpression: input.id ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (conditionFailed(error) && input.id) return undefined;
      throw error;
    }
    return saved;
  }

  async removeBanner(id: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: bannerKey(id) }));
  }

  async getFlashSale(): Promise<{ startTime: number; productIds: number[] } | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: FLASH_SALE_KEY }));
    return out.Item ? recordOf(flashSaleRecord, out.Item) : undefined;
  }

  async setFlashSale(startTime: number, productIds: number[]): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...FLASH_SALE_KEY, startTime, productIds, updatedAt: Date.now() } }),
    );
  }
}
