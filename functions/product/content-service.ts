import type { z } from 'zod';
import type { Caller } from '../../shared/caller';
import { badRequest, notFound } from '../../shared/errors';
import type { Banner, CommentRecord } from './content-repository';
import type { ProductRecord } from './product-repository';
import { type Catalog, liveProduct, seconds, storefront } from './product-service';
import { type addCommentRequest, ON_SALE, type saveBannerRequest, type setFlashSaleRequest } from './schemas';

// The storefront's own content (lebron): comments on products, home banners, the flash sale.

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

export async function productComments(repo: Catalog, productId: number, cursor: number, ps: number) {
  await liveProduct(repo, productId);
  const page = await repo.content.listComments(productId, cursor, ps);
  return { comments: page.items.map(toComment), is_end: page.isEnd, comment_time: page.last };
}

export async function addComment(repo: Catalog, caller: Caller, input: z.infer<typeof addCommentRequest>) {
  await liveProduct(repo, input.product_id);
  const comment = await repo.content.addComment({
    product_id: input.product_id,
    content: input.content,
    images: input.images,
    // A copy at write time of the name and avatar on the author's record (the authorizer reads them).
    user: { id: caller.uid, name: caller.name, avatar: caller.avatar ?? '' },
    createdAt: Date.now(),
  });
  return toComment(comment);
}

/** A banner as answered: with lebron's `name` and `url` beside our `title` and `image_url`. */
const toBannerView = (b: Banner) => ({ ...b, name: b.title, url: b.image_url });

export async function banners(repo: Catalog) {
  return { banners: (await repo.content.listBanners()).map(toBannerView) };
}

export async function saveBanner(repo: Catalog, input: z.infer<typeof saveBannerRequest>) {
  const saved = await repo.content.saveBanner(input);
  if (!saved) throw notFound('BANNER_NOT_FOUND', 'banner not found');
  return toBannerView(saved);
}

export async function removeBanner(repo: Catalog, id: number): Promise<Record<string, never>> {
  await repo.content.removeBanner(id);
  return {};
}

export async function flashSale(repo: Catalog) {
  const sale = await repo.content.getFlashSale();
  if (!sale) return { start_time: 0, products: [] };
  const byId = new Map((await repo.products.getProducts(sale.productIds, false)).map((p) => [p.id, p]));
  // Like every list: only what is on sale and not removed.
  const listed = sale.productIds.map((id) => byId.get(id)).filter((p): p is ProductRecord => !!p && !p.removedAt && p.status === ON_SALE);
  return { start_time: sale.startTime, products: await storefront(repo, listed) };
}

export async function setFlashSale(repo: Catalog, input: z.infer<typeof setFlashSaleRequest>) {
  const ids = [...new Set(input.product_ids)];
  const found = await repo.products.getProducts(ids, true);
  const missing = ids.filter((id) => !found.some((p) => p.id === id && !p.removedAt));
  if (missing.length) throw badRequest('UNKNOWN_PRODUCTS', `no such products: ${missing.join(', ')}`);
  await repo.content.setFlashSale(input.start_time, ids);
  return {};
}
