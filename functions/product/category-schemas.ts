import * as z from 'zod';
import { cursor, OFF_SALE, ON_SALE, pageSize, productPage } from './schemas';
import { MAX_QUERY_TERMS, tokenise } from './search-terms';

// Categories (lebron's category table: id, parentid, name, status) and search, on the wire.

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const name = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} _&-]+$/u, 'letters, digits, space, _, & or -');
const sort = z.number().int().min(0).max(9999);
/** 1 on (listed, products can be put in it), 2 off. */
const status = z.union([z.literal(ON_SALE), z.literal(OFF_SALE)]);

export const createCategoryRequest = z.object({
  name,
  /** 0 (default): a top-level category; otherwise a top-level category's id (two levels at most). */
  parent_id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  sort: sort.default(0),
  status: status.default(ON_SALE),
});
export type CreateCategoryRequest = z.infer<typeof createCategoryRequest>;

/** A category's place in the tree is fixed at creation; name, sort and status change. */
export const updateCategoryRequest = z.object({ id, name: name.optional(), sort: sort.optional(), status: status.optional() });
export type UpdateCategoryRequest = z.infer<typeof updateCategoryRequest>;

export const categoryIdRequest = z.object({ id });

const count = z.number().int();
export const categoryResponse = z.strictObject({ id: count, name: z.string(), parent_id: count, sort: count, status: count });
export type CategoryView = z.infer<typeof categoryResponse>;

/** The storefront's tabs: top-level categories that are on, by sort then id, each with its children that are on. */
const node = { id: count, name: z.string(), parent_id: count, sort: count };
export const categoryTreeResponse = z.strictObject({
  categories: z.array(z.strictObject({ ...node, children: z.array(z.strictObject(node)) })),
});
export type CategoryTree = z.infer<typeof categoryTreeResponse>;

/** lebron's paging (see schemas.ts): `ps` falls back to 20, `cursor` is the previous page's `last_val`. */
export const searchRequest = z.object({
  q: z
    .string()
    .max(100)
    .transform((q) => tokenise(q).slice(0, MAX_QUERY_TERMS))
    .refine((terms) => terms.length > 0, 'must contain a letter or digit'),
  cursor,
  ps: pageSize,
});
export type SearchRequest = z.infer<typeof searchRequest>;

export const searchResponse = z.strictObject({ products: productPage, is_end: z.boolean(), last_val: count });
