import * as z from 'zod';

// The product service's product shapes and its 200 replies (re-exported by schemas.ts).

/** How a product is shown (detail and the storefront's lists): lebron's product table's fields. */
export interface Shown {
  category_id: number;
  subtitle: string;
  images: string[];
  /** The first image, or ''. */
  image_url: string;
  detail: string;
}

/** go-zero-mall's product detail, plus the catalogue's own fields. */
export interface ProductDetail extends Shown {
  id: number;
  name: string;
  desc: string;
  stock: number;
  amount: number;
  status: number;
  category: string;
  sales: number;
  create_time: number;
  update_time: number;
}

/** lebron's Product; `price` is in the smallest currency unit, like `amount`. */
export interface StorefrontProduct {
  id: number;
  name: string;
  description: string;
  price: number;
  stock: number;
  category: string;
  status: number;
  sales: number;
  create_time: number;
  update_time: number;
}

/** What other services get from batch-get: removed products are included and say so. */
export interface CatalogEntry extends StorefrontProduct {
  removed: boolean;
  /** In the flash sale, which has started: its orders get a shorter payment window. */
  flashSale?: boolean;
}

// Replies (the 200 bodies), as the API answers them: exactly these fields, nothing more.

const count = z.number().int();
/** Fields both product shapes share; times are Unix seconds. */
const productBase = {
  id: count,
  name: z.string(),
  stock: count,
  category: z.string(),
  status: count,
  sales: count,
  create_time: count,
  update_time: count,
};
/** go-zero-mall's names: desc, amount. */
const shown = { category_id: count, subtitle: z.string(), images: z.array(z.string()), image_url: z.string(), detail: z.string() };
export const productDetailResponse = z.strictObject({
  ...productBase,
  ...shown,
  desc: z.string(),
  amount: count,
}) satisfies z.ZodType<ProductDetail>;
/** lebron's names: description, price. */
export const storefrontProduct = z.strictObject({
  ...productBase,
  description: z.string(),
  price: count,
}) satisfies z.ZodType<StorefrontProduct>;

/** A product in a storefront list (recommend, category, flash sale, search): lebron's Product and how it is shown. */
export type ListedProduct = StorefrontProduct & Shown;
export const listedProduct = z.strictObject({ ...storefrontProduct.shape, ...shown }) satisfies z.ZodType<ListedProduct>;

export const createProductResponse = z.strictObject({ id: count });

export const productPage = z.array(listedProduct);
export const recommendResponse = z.strictObject({ products: productPage, is_end: z.boolean(), recommend_time: count });
export const categoryListResponse = z.strictObject({ products: productPage, is_end: z.boolean(), last_val: count });

export const commentResponse = z.strictObject({
  id: count,
  product_id: count,
  content: z.string(),
  images: z.array(z.strictObject({ id: count, url: z.string() })),
  user: z.strictObject({ id: count, name: z.string(), avatar: z.string() }),
  create_time: count,
  update_time: count,
});
export const commentsResponse = z.strictObject({ comments: z.array(commentResponse), is_end: z.boolean(), comment_time: count });

/** A banner; `name` and `url` are lebron's names for `title` and `image_url`, so its clients read them as they are. */
export const bannerResponse = z.strictObject({
  id: count,
  title: z.string(),
  image_url: z.string(),
  link_url: z.string(),
  sort: count,
  name: z.string(),
  url: z.string(),
});
export const bannersResponse = z.strictObject({ banners: z.array(bannerResponse) });

/** Unix seconds, 0 when no sale is set; only products on sale are listed. */
export const flashSaleResponse = z.strictObject({ start_time: count, products: productPage });
