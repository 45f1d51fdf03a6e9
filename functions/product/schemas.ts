import * as z from 'zod';

// Products keep go-zero-mall's wire format (seed 000, chapter 4); storefront reads keep
// lebron's field names (seed 002). Amounts are integers in the smallest currency unit.

export const ON_SALE = 1;
export const OFF_SALE = 2;
/** go-zero-mall's default (its table's DEFAULT 0, what its clients send): on sale, stored as ON_SALE. */
export const GO_ZERO_DEFAULT = 0;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const name = z.string().trim().min(1).max(100);
const desc = z.string().trim().max(2000);
const stock = z.number().int().min(0).max(10_000_000);
/** At least 1 (nothing is free) and at most 10 million currency units, so sort keys stay exact. */
const amount = z.number().int().min(1).max(1_000_000_000);
/** 1 on sale, 2 off sale; go-zero-mall's 0 is accepted as on sale (read back as 1). */
const status = z
  .union([z.literal(GO_ZERO_DEFAULT), z.literal(ON_SALE), z.literal(OFF_SALE)])
  .transform((s) => (s === OFF_SALE ? OFF_SALE : ON_SALE));
const category = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} _-]+$/u, 'letters, digits, space, _ or -');
/** A category record's id (category-schemas.ts); its name becomes the product's `category`. */
const categoryId = id;
/** Shown under the name. */
const subtitle = z.string().trim().max(200);
/** An image of a product: an absolute https URL with a host, nothing a page could load insecurely or run. */
export const httpsImage = z
  .string()
  .trim()
  .max(500)
  .refine((u) => /^https:\/\/[^/\\\s]/i.test(u) && !/\s/.test(u) && URL.canParse(u), 'must be an https URL');
/** lebron's `images`: in display order; the first is `image_url`. */
const images = z.array(httpsImage).max(9);
/** The long description shown on the product's page (plain text). */
const detail = z.string().trim().max(5000);
/** How many items the stock is spread over; more shards let a hot product take more orders per second. */
export const MAX_STOCK_SHARDS = 16;
const stockShards = z.number().int().min(1).max(MAX_STOCK_SHARDS);

export const createProductRequest = z.object({
  name,
  desc: desc.default(''),
  stock,
  amount,
  /** Absent, as in go-zero-mall's table, is its default: on sale. */
  status: status.default(ON_SALE),
  category: category.default('general'),
  /** Wins over `category`: the product is listed under this category, named as it is. */
  category_id: categoryId.optional(),
  subtitle: subtitle.default(''),
  images: images.default([]),
  detail: detail.default(''),
  stock_shards: stockShards.default(1),
});
export type CreateProductRequest = z.infer<typeof createProductRequest>;

export const updateProductRequest = z.object({
  id,
  name: name.optional(),
  desc: desc.optional(),
  stock: stock.optional(),
  amount: amount.optional(),
  status: status.optional(),
  /** A free-text category: the product leaves its category record, if it had one. */
  category: category.optional(),
  category_id: categoryId.optional(),
  subtitle: subtitle.optional(),
  images: images.optional(),
  detail: detail.optional(),
  stock_shards: stockShards.optional(),
  /** Moves the product to the top of the recommend list. */
  recommend: z.boolean().optional(),
});
export type UpdateProductRequest = z.infer<typeof updateProductRequest>;

export const idRequest = z.object({ id });

/**
 * lebron's `ps`: default 20; a value that is missing, invalid or too large falls back to the
 * default instead of failing, so `ps=10000` cannot be used to hurt the service.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
export const pageSize = z
  .unknown()
  .optional()
  .transform((raw) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE_SIZE ? n : DEFAULT_PAGE_SIZE;
  });
/** 0 or absent: the first page; otherwise the last value of the previous page. */
export const cursor = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a non-negative integer')
  .optional()
  .transform((raw) => (raw === undefined ? 0 : Number(raw)))
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));

export const recommendRequest = z.object({ cursor, ps: pageSize });

export const SORTS = ['newest', 'price', 'price_desc', 'sales'] as const;
export type Sort = (typeof SORTS)[number];
/** By `category_id`, or by `category`: a category record's name, else go-zero-mall's free-text category. */
export const categoryListRequest = z
  .object({
    cursor,
    ps: pageSize,
    category: category.optional(),
    category_id: z
      .string()
      .regex(/^\d{1,16}$/, 'must be a category id')
      .transform(Number)
      .pipe(id)
      .optional(),
    sort: z.enum(SORTS).default('newest'),
  })
  .refine((q) => q.category !== undefined || q.category_id !== undefined, {
    message: 'category or category_id is required',
    path: ['category'],
  });
export type CategoryListRequest = z.infer<typeof categoryListRequest>;

export const commentsRequest = z.object({
  product_id: z
    .string()
    .regex(/^\d{1,16}$/, 'must be a product id')
    .transform(Number)
    .pipe(id),
  cursor,
  ps: pageSize,
});

const imageUrl = z
  .string()
  .trim()
  .max(500)
  .url()
  .regex(/^https?:\/\//, 'must be an http(s) URL');
export const addCommentRequest = z.object({
  product_id: id,
  content: z.string().trim().min(1).max(1000),
  images: z.array(imageUrl).max(9).default([]),
});

/**
 * A banner's link: '' (none), a path on this site ("/category/shoes": one leading slash, since
 * browsers read "//host" and "/\host" as another site), or an absolute https URL with a host.
 */
export function isSafeLink(link: string): boolean {
  if (link === '') return true;
  if (/[\\\s]/.test(link)) return false;
  if (link.startsWith('/')) return !link.startsWith('//');
  if (!/^https:\/\/[^/]/i.test(link)) return false;
  return URL.canParse(link) && new URL(link).hostname !== '';
}

export const saveBannerRequest = z.object({
  id: id.optional(),
  title: z.string().trim().min(1).max(100),
  image_url: imageUrl,
  /** A same-site path or an https URL; nothing a client could run as script or follow off-site by accident. */
  link_url: z.string().trim().max(500).refine(isSafeLink, 'must be empty, a path starting with a single /, or an https URL').default(''),
  sort: z.number().int().min(0).max(9999).default(0),
});

export const setFlashSaleRequest = z.object({
  /** Unix seconds; the client computes the countdown from it. */
  start_time: z.number().int().positive().max(32_503_680_000),
  product_ids: z.array(id).max(50),
});

/** The internal batch read other services invoke (cart, later orders). */
export const batchGetRequest = z.object({ ids: z.array(id).max(200) });

export * from './replies';
