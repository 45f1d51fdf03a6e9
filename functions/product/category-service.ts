import { badRequest, conflict, notFound } from '../../shared/errors';
import { RETRY, retry } from '../../shared/retry';
import { CategoryBusyError, type CategoryRecord } from './category-repository';
import type { CategoryTree, CategoryView, CreateCategoryRequest, UpdateCategoryRequest } from './category-schemas';
import type { Catalog } from './product-service';
import { ON_SALE } from './schemas';

const categoryNotFound = () => notFound('CATEGORY_NOT_FOUND', 'category not found');
const byOrder = (a: CategoryRecord, b: CategoryRecord) => a.sort - b.sort || a.id - b.id;

function toView(c: CategoryRecord): CategoryView {
  return { id: c.id, name: c.name, parent_id: c.parentId, sort: c.sort, status: c.status };
}

export async function createCategory(repo: Catalog, input: CreateCategoryRequest): Promise<CategoryView> {
  const invalidParent = () => badRequest('INVALID_PARENT', 'parent_id must be 0 or the id of a top-level category (two levels at most)');
  if (input.parent_id) {
    const parent = await repo.categories.get(input.parent_id);
    if (!parent || parent.parentId) throw invalidParent();
  }
  const now = Date.now();
  const category: CategoryRecord = {
    id: await repo.categories.nextId(),
    name: input.name,
    parentId: input.parent_id,
    sort: input.sort,
    status: input.status,
    children: 0,
    products: 0,
    createdAt: now,
    updatedAt: now,
  };
  // The parent's own condition, in the same transaction: it was removed meanwhile.
  if (!(await repo.categories.create(category))) throw invalidParent();
  return toView(category);
}

/**
 * Name, sort or status. A new name is a new word in the search index for every product on sale in
 * the category (and in its children): they are re-indexed before the answer.
 */
export async function updateCategory(repo: Catalog, input: UpdateCategoryRequest, reindex: (id: number) => Promise<void>) {
  let renamed: CategoryRecord | undefined;
  const policy = {
    attempts: 8,
    baseDelayMs: 20,
    maxDelayMs: 160,
    exhausted: () => conflict('CONCURRENT_UPDATE', 'the category kept changing; retry'),
  };
  const updated = await retry(policy, async () => {
    const current = await repo.categories.get(input.id);
    if (!current) throw categoryNotFound();
    const next: CategoryRecord = {
      ...current,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.sort !== undefined && { sort: input.sort }),
      ...(input.status !== undefined && { status: input.status }),
      updatedAt: Math.max(Date.now(), current.updatedAt + 1),
    };
    if (!(await repo.categories.replace(current, next))) return RETRY;
    // Also when the name is given unchanged: re-saving a name repairs the index if a write raced a rename.
    if (input.name !== undefined) renamed = next;
    return next;
  });
  if (renamed) {
    const children = renamed.parentId ? [] : (await repo.categories.all(true)).filter((c) => c.parentId === renamed!.id);
    for (const category of [renamed, ...children]) await reindexCategory(repo, category.id, reindex);
  }
  return toView(updated);
}

/** Every product on sale in the category is written again, with its words as they now are. */
async function reindexCategory(repo: Catalog, id: number, reindex: (id: number) => Promise<void>): Promise<void> {
  let cursor = 0;
  for (;;) {
    const page = await repo.products.listProducts('newest', `CATID#${id}`, cursor, 50);
    for (const product of page.items) await reindex(product.id);
    if (page.isEnd) return;
    cursor = page.last;
  }
}

/** Only an empty category goes: no child categories (409 CATEGORY_HAS_CHILDREN), no products on or off sale (409 CATEGORY_IN_USE). */
export async function removeCategory(repo: Catalog, id: number): Promise<Record<string, never>> {
  const check = (c: CategoryRecord | undefined): CategoryRecord => {
    if (!c) throw categoryNotFound();
    if (c.children > 0) throw conflict('CATEGORY_HAS_CHILDREN', 'the category has child categories; remove them first');
    if (c.products > 0) throw conflict('CATEGORY_IN_USE', 'products are in the category; move or remove them first');
    return c;
  };
  try {
    await repo.categories.remove(check(await repo.categories.get(id)));
  } catch (error) {
    // A child or a product arrived between the read and the delete: say which.
    if (error instanceof CategoryBusyError) check(await repo.categories.get(id));
    throw error;
  }
  return {};
}

/** The storefront's tabs: categories that are on, by sort, children under their parent (a parent that is off hides them). */
export async function categoryTree(repo: Catalog): Promise<CategoryTree> {
  const on = (await repo.categories.all()).filter((c) => c.status === ON_SALE).sort(byOrder);
  const node = (c: CategoryRecord) => ({ id: c.id, name: c.name, parent_id: c.parentId, sort: c.sort });
  return {
    categories: on.filter((c) => !c.parentId).map((top) => ({ ...node(top), children: on.filter((c) => c.parentId === top.id).map(node) })),
  };
}

/** Where a product is filed: its category record (id, current name) or a free-text name, and the words it is found by. */
export interface Placement {
  categoryId: number;
  category: string;
  /** The category's name and its parent's: searched words. */
  names: string[];
}

/**
 * The placement of a product given `categoryId` (0: the free-text `category`). A category the
 * product is being moved to must exist and be on (400 INVALID_CATEGORY); one it is already in
 * keeps it even once off.
 */
export async function placement(repo: Catalog, categoryId: number, category: string, moving: boolean): Promise<Placement> {
  if (!categoryId) return { categoryId: 0, category, names: [category] };
  const record = await repo.categories.get(categoryId);
  if (!record || (moving && record.status !== ON_SALE)) {
    throw badRequest('INVALID_CATEGORY', 'category_id must name a category that exists and is on');
  }
  const parent = record.parentId ? await repo.categories.get(record.parentId) : undefined;
  return { categoryId, category: record.name, names: [record.name, ...(parent ? [parent.name] : [])] };
}

/** GET /api/category/list by name: a category record of that name (case aside; the lowest id if several), else the free-text name. */
export async function categoryByName(repo: Catalog, name: string): Promise<number> {
  const wanted = name.toLowerCase();
  const match = (await repo.categories.all()).filter((c) => c.name.toLowerCase() === wanted).sort((a, b) => a.id - b.id)[0];
  return match?.id ?? 0;
}
