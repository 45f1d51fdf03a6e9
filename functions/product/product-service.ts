import { badRequest, conflict, notFound } from '../../shared/errors';
import { RETRY, retry } from '../../shared/retry';
import type { CategoryRepository } from './category-repository';
import { categoryByName, placement } from './category-service';
import type { ContentRepository } from './content-repository';
import {
  CategoryUnavailableError,
  ConcurrentUpdateError,
  categoryPartition,
  type ProductRecord,
  type ProductRepository,
} from './product-repository';
import type {
  CatalogEntry,
  CategoryListRequest,
  CreateProductRequest,
  ListedProduct,
  ProductDetail,
  Shown,
  StorefrontProduct,
  UpdateProductRequest,
} from './schemas';
import type { SearchRepository } from './search-repository';
import { productTerms } from './search-terms';
import type { StockRepository } from './stock-repository';

/** The catalogue's table access, by concern. */
export interface Catalog {
  products: ProductRepository;
  stock: StockRepository;
  content: ContentRepository;
  categories: CategoryRepository;
  search: SearchRepository;
}

export const seconds = (ms: number) => Math.floor(ms / 1000);
const productNotFound = () => notFound('PRODUCT_NOT_FOUND', 'product not found');

/** A product that exists and was not removed; removed products are gone from the storefront. */
export async function liveProduct(repo: Catalog, id: number): Promise<ProductRecord> {
  const product = await repo.products.getProduct(id);
  if (!product || product.removedAt) throw productNotFound();
  return product;
}

async function totalStock(repo: Catalog, products: ProductRecord[], consistent: boolean): Promise<Map<number, number>> {
  const shards = await repo.stock.shards(products, consistent);
  return new Map([...shards].map(([id, values]) => [id, values.reduce((a, b) => a + b, 0)]));
}

/** lebron's product page fields; `image_url` is the first image. */
function shownOf(p: ProductRecord): Shown {
  return { category_id: p.categoryId, subtitle: p.subtitle, images: p.images, image_url: p.images[0] ?? '', detail: p.detail };
}

function toDetail(p: ProductRecord, stock: number): ProductDetail {
  return {
    ...shownOf(p),
    id: p.id,
    name: p.name,
    desc: p.desc,
    stock,
    amount: p.amount,
    status: p.status,
    category: p.category,
    sales: p.sales,
    create_time: seconds(p.createdAt),
    update_time: seconds(p.updatedAt),
  };
}

function toStorefront(p: ProductRecord, stock: number): StorefrontProduct {
  return {
    id: p.id,
    name: p.name,
    description: p.desc,
    price: p.amount,
    stock,
    category: p.category,
    status: p.status,
    sales: p.sales,
    create_time: seconds(p.createdAt),
    update_time: seconds(p.updatedAt),
  };
}

/** Products as the storefront lists them, with their stock. */
export async function storefront(repo: Catalog, products: ProductRecord[], consistent = false): Promise<ListedProduct[]> {
  const stock = await totalStock(repo, products, consistent);
  return products.map((p) => ({ ...toStorefront(p, stock.get(p.id) ?? 0), ...shownOf(p) }));
}

const categoryUnavailable = () => badRequest('INVALID_CATEGORY', 'category_id must name a category that exists and is on');

export async function createProduct(repo: Catalog, input: CreateProductRequest): Promise<{ id: number }> {
  const now = Date.now();
  const place = await placement(repo, input.category_id ?? 0, input.category, true);
  const product: ProductRecord = {
    id: await repo.products.nextProductId(),
    name: input.name,
    desc: input.desc,
    amount: input.amount,
    status: input.status,
    category: place.category,
    categoryId: place.categoryId,
    subtitle: input.subtitle,
    images: input.images,
    detail: input.detail,
    searchTerms: productTerms(input.name, place.names),
    stockShards: input.stock_shards,
    sales: 0,
    createdAt: now,
    updatedAt: now,
    recommendedAt: now,
  };
  try {
    await repo.products.createProduct(product, input.stock);
  } catch (error) {
    // The category was turned off or removed since it was read.
    if (error instanceof CategoryUnavailableError) throw categoryUnavailable();
    throw error;
  }
  return { id: product.id };
}

/** Changes only the fields given. */
export async function updateProduct(repo: Catalog, input: UpdateProductRequest): Promise<Record<string, never>> {
  await withOptimisticRetry(async () => {
    const current = await liveProduct(repo, input.id);
    const now = Math.max(Date.now(), current.updatedAt + 1);
    // A free-text `category` alone takes the product out of its category record.
    const categoryId = input.category_id ?? (input.category !== undefined ? 0 : current.categoryId);
    const place = await placement(repo, categoryId, input.category ?? current.category, categoryId !== current.categoryId);
    const name = input.name ?? current.name;
    const next: ProductRecord = {
      ...current,
      name,
      category: place.category,
      categoryId: place.categoryId,
      searchTerms: productTerms(name, place.names),
      ...(input.desc !== undefined && { desc: input.desc }),
      ...(input.amount !== undefined && { amount: input.amount }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.subtitle !== undefined && { subtitle: input.subtitle }),
      ...(input.images !== undefined && { images: input.images }),
      ...(input.detail !== undefined && { detail: input.detail }),
      ...(input.stock_shards !== undefined && { stockShards: input.stock_shards }),
      ...(input.recommend && { recommendedAt: now }),
      updatedAt: now,
    };
    let stock: { total: number; current: number[] } | undefined;
    if (input.stock !== undefined || next.stockShards !== current.stockShards) {
      const shards = (await repo.stock.shards([current], true)).get(current.id) ?? [];
      stock = { total: input.stock ?? shards.reduce((a, b) => a + b, 0), current: shards };
    }
    await repo.products.replaceProduct(current, next, stock);
  });
  return {};
}

/** Writes a product again with its category's current name and words (after the category was renamed). */
export async function reindexProduct(repo: Catalog, id: number): Promise<void> {
  await withOptimisticRetry(async () => {
    const current = await repo.products.getProduct(id);
    if (!current || current.removedAt) return;
    const place = await placement(repo, current.categoryId, current.category, false);
    const searchTerms = productTerms(current.name, place.names);
    if (place.category === current.category && searchTerms.join(' ') === current.searchTerms.join(' ')) return;
    const now = Math.max(Date.now(), current.updatedAt + 1);
    await repo.products.replaceProduct(current, { ...current, category: place.category, searchTerms, updatedAt: now });
  });
}

/** Removed products leave every list and detail; orders that reference them keep their copy. */
export async function removeProduct(repo: Catalog, id: number): Promise<Record<string, never>> {
  await withOptimisticRetry(async () => {
    const current = await liveProduct(repo, id);
    const now = Math.max(Date.now(), current.updatedAt + 1);
    await repo.products.replaceProduct(current, { ...current, removedAt: now, updatedAt: now });
  });
  return {};
}

/**
 * Runs a read-modify-write again, after a short random pause, when another writer changed the
 * product in between. A writer that keeps losing gets 409, never a 5xx.
 */
function withOptimisticRetry(attempt: () => Promise<void>): Promise<void> {
  const policy = {
    attempts: 8,
    baseDelayMs: 20,
    maxDelayMs: 160,
    exhausted: () => conflict('CONCURRENT_UPDATE', 'the product was changed by someone else meanwhile; retry'),
  };
  return retry(policy, async () => {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return RETRY;
      if (error instanceof CategoryUnavailableError) throw categoryUnavailable();
      throw error;
    }
  });
}

export async function productDetail(repo: Catalog, id: number): Promise<ProductDetail> {
  const product = await liveProduct(repo, id);
  const stock = await totalStock(repo, [product], true);
  return toDetail(product, stock.get(id) ?? 0);
}

export async function recommend(repo: Catalog, cursor: number, ps: number) {
  const page = await repo.products.listProducts('recommend', 'RECOMMEND', cursor, ps);
  return { products: await storefront(repo, page.items), is_end: page.isEnd, recommend_time: page.last };
}

/** By category id; by name, a category record of that name, else the products with that free-text category. */
export async function categoryList(repo: Catalog, input: CategoryListRequest) {
  const categoryId = input.category_id ?? (await categoryByName(repo, input.category ?? ''));
  const partition = categoryPartition({ categoryId, category: input.category ?? '' });
  const page = await repo.products.listProducts(input.sort, partition, input.cursor, input.ps);
  return { products: await storefront(repo, page.items), is_end: page.isEnd, last_val: page.last };
}

/** For other services: current data of the products that exist, removed ones included and marked. */
export async function batchGet(repo: Catalog, ids: number[]): Promise<{ products: CatalogEntry[] }> {
  const [products, sale] = await Promise.all([repo.products.getProducts(ids, true), repo.content.getFlashSale()]);
  const stock = await totalStock(repo, products, true);
  const onSale = new Set(sale && sale.startTime * 1000 <= Date.now() ? sale.productIds : []);
  return {
    products: products.map((p) => ({
      ...toStorefront(p, stock.get(p.id) ?? 0),
      removed: Boolean(p.removedAt),
      flashSale: onSale.has(p.id),
    })),
  };
}
