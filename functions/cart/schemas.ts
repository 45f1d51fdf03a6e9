import * as z from 'zod';
import { type StorefrontProduct, storefrontProduct } from '../product/schemas';

/** lebron limits a cart to 200 products, so checking out everything stays a bounded write. */
export const MAX_CART_PRODUCTS = 200;
export const MAX_COUNT = 999;

const productId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(1).max(MAX_COUNT);

export const addRequest = z.object({ product_id: productId, count: count.default(1) });
export const updateRequest = z.object({ product_id: productId, count });
export const removeRequest = z.object({ product_id: productId });

/** lebron's CartProduct, plus whether it can be bought now. */
export interface CartProduct {
  product: StorefrontProduct;
  count: number;
  /** False when the product was removed from the catalogue or is off sale. */
  available: boolean;
}

// Replies (the 200 bodies): exactly these fields.

export const cartLineResponse = z.strictObject({ product_id: productId, count });
export const cartResponse = z.strictObject({
  products: z.array(z.strictObject({ product: storefrontProduct, count, available: z.boolean() }) satisfies z.ZodType<CartProduct>),
});
