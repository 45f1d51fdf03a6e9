import type { z } from 'zod';
import type { Caller } from '../../shared/caller';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { type Banner, type CatalogRepository, type CommentRecord, ConcurrentUpdateError, type ProductRecord } from './product-repository';
import type {
  addCommentRequest,
  CatalogEntry,
  CreateProductRequest,
  ProductDetail,
  Sort,
  StorefrontProduct,
  saveBannerRequest,
  setFlashSaleRequest,
  UpdateProductRequest,
} from './schemas';
import { ON_SALE } from './schemas';

const seconds = (ms: number) => Math.floor(ms / 1000);
const productNotFound = () => notFound('PRODUCT_NOT_FOUND', 'product not found');

/** A product that exists and was not removed; removed products are gone from the storefront. */
async function liveProduct(repo: CatalogRepository, id: number): Promise<ProductRecord> {
  const product = await repo.getProduct(id);
  if (!product || product.removedAt) throw productNotFound();
  return product;
}

async function totalStock(repo: CatalogRepository, products: ProductRecord[], consistent: boolean): Promise<Map<number, number>> {
  const shards = await repo.stockShards(products, consistent);
  return new Map([...shards].map(([id, values]) => [id, values.reduce((a, b) => a + b, 0)]));
}

function toDetail(p: ProductRecord, stock: number): ProductDetail {
  return {
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

async function storefront(repo: CatalogRepository, products: ProductRecord[]): Promise<StorefrontProduct[]> {
  const stock = await totalStock(repo, products, false);
  return products.map((p) => toStorefront(p, stock.get(p.id) ?? 0));
}

export async function createProduct(repo: CatalogRepository, input: CreateProductRequest): Promise<{ id: number }> {
  const now = Date.now();
  const product: ProductRecord = {
    id: await repo.nextProductId(),
    name: input.name,
    desc: input.desc,
    amount: input.amount,
    status: input.status,
    category: input.category,
    stockShards: input.stock_shards,
    sales: 0,
    createdAt: now,
    updatedAt: now,
    recommendedAt: now,
  };
  await repo.createProduct(product, input.stock);
  return { id: product.id };
}

/** Changes only the fields given. */
export async function updateProduct(repo: CatalogRepository, input: UpdateProductRequest): Promise<Record<string, never>> {
  await withOptimisticRetry(async () => {
    const current = await liveProduct(repo, input.id);
    const now = Math.max(Date.now(), current.updatedAt + 1);
    const next: ProductRecord = {
      ...current,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.desc !== undefined && { desc: input.desc }),
      ...(input.amount !== undefined && { amount: input.amount }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.category !== undefined && { category: input.category }),
      ...(input.stock_shards !== undefined && { stockShards: input.stock_shards }),
      ...(input.recommend && { recommendedAt: now }),
      updatedAt: now,
    };
    let stock: { total: number; current: number[] } | undefined;
    if (input.stock !== undefined || next.stockShards !== current.stockShards) {
      const shards = (await repo.stockShards([current], true)).get(current.id) ?? [];
      stock = { total: input.stock ?? shards.reduce((a, b) => a + b, 0), current: shards };
    }
    await repo.replaceProduct(current, next, stock);
  });
  return {};
}

/** Removed products leave every list and detail; orders that reference them keep their copy. */
export async function removeProduct(repo: CatalogRepository, id: number): Promise<Record<string, never>> {
  await withOptimisticRetry(async () => {
    const current = await liveProduct(repo, id);
    const now = Math.max(Date.now(), current.updatedAt + 1);
    await repo.replaceProduct(current, { ...current, removedAt: now, updatedAt: now });
  });
  return {};
}

/**
 * Runs a read-modify-write again, after a short random pause, when another writer changed the
 * product in between. A writer that keeps losing gets 409, never a 5xx.
 */
async function withOptimisticRetry(attempt: () => Promise<void>, attempts = 8): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (i >= attempts) throw conflict('CONCURRENT_UPDATE', 'the product was changed by someone else meanwhile; retry');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}

export async function productDetail(repo: CatalogRepository, id: number): Promise<ProductDetail> {
  const product = await liveProduct(repo, id);
  const stock = await totalStock(repo, [product], true);
  return toDetail(product, stock.get(id) ?? 0);
}

export async function recommend(repo: CatalogRepository, cursor: number, ps: number) {
  const page = await repo.listProducts('recommend', 'RECOMMEND', cursor, ps);
  return { products: await storefront(repo, page.items), is_end: page.isEnd, recommend_time: page.last };
}

export async function categoryList(repo: CatalogRepository, input: { cursor: number; ps: number; category: string; sort: Sort }) {
  const page = await repo.listProducts(input.sort, `CAT#${input.category}`, input.cursor, input.ps);
  return { products: await storefront(repo, page.items), is_end: page.isEnd, last_val: page.last };
}

function toComment(c: CommentRecord) {
  return {
    id: c.id,
    product_id: c.product_id,
    content: c.content,
    images: c.images.map((url, i) => ({ id: i + 1, url })),
    user: c.user,
    create_time: seconds(c.createdAt),
    update_time: seconds(c.createdAt),
  };
}

export async function productComments(repo: CatalogRepository, productId: number, cursor: number, ps: number) {
  await liveProduct(repo, productId);
  const page = await repo.listComments(productId, cursor, ps);
  return { comments: page.items.map(toComment), is_end: page.isEnd, comment_time: page.last };
}

export async function addComment(repo: CatalogRepository, caller: Caller, input: z.infer<typeof addCommentRequest>) {
  await liveProduct(repo, input.product_id);
  const comment = await repo.addComment({
    product_id: input.product_id,
    content: input.content,
    images: input.images,
    user: { id: caller.uid, name: caller.name, avatar: '' },
    createdAt: Date.now(),
  });
  return toComment(comment);
}

export async function banners(repo: CatalogRepository): Promise<{ banners: Banner[] }> {
  return { banners: await repo.listBanners() };
}

export async function saveBanner(repo: CatalogRepository, input: z.infer<typeof saveBannerRequest>): Promise<Banner> {
  const saved = await repo.saveBanner(input);
  if (!saved) throw notFound('BANNER_NOT_FOUND', 'banner not found');
  return saved;
}

export async function flashSale(repo: CatalogRepository) {
  const sale = await repo.getFlashSale();
  if (!sale) return { start_time: 0, products: [] };
  const byId = new Map((await repo.getProducts(sale.productIds, false)).map((p) => [p.id, p]));
  // Like every list: only what is on sale and not removed.
  const listed = sale.productIds.map((id) => byId.get(id)).filter((p): p is ProductRecord => !!p && !p.removedAt && p.status === ON_SALE);
  return { start_time: sale.startTime, products: await storefront(repo, listed) };
}

export async function setFlashSale(repo: CatalogRepository, input: z.infer<typeof setFlashSaleRequest>) {
  const ids = [...new Set(input.product_ids)];
  const found = await repo.getProducts(ids, true);
  const missing = ids.filter((id) => !found.some((p) => p.id === id && !p.removedAt));
  if (missing.length) throw badRequest('UNKNOWN_PRODUCTS', `no such products: ${missing.join(', ')}`);
  await repo.setFlashSale(input.start_time, ids);
  return {};
}

/** For other services: current data of the products that exist, removed ones included and marked. */
export async function batchGet(repo: CatalogRepository, ids: number[]): Promise<{ products: CatalogEntry[] }> {
  const products = await repo.getProducts(ids, true);
  const stock = await totalStock(repo, products, true);
  return {
    products: products.map((p) => ({ ...toStorefront(p, stock.get(p.id) ?? 0), removed: Boolean(p.removedAt) })),
  };
}
