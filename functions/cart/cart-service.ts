import type { Barrier } from '../../shared/barrier';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { type SagaInput, type StepOutcome, success } from '../../shared/saga';
import type { Catalog } from '../product/client';
import { type CatalogEntry, OFF_SALE, ON_SALE } from '../product/schemas';
import type { CartRepository } from './cart-repository';
import { type CartProduct, MAX_CART_PRODUCTS, MAX_COUNT } from './schemas';

export async function addToCart(repo: CartRepository, catalog: Catalog, uid: number, productId: number, count: number) {
  const [product] = await catalog.products([productId]);
  if (!product || product.removed) throw notFound('PRODUCT_NOT_FOUND', 'product not found');
  if (product.status !== ON_SALE) throw conflict('PRODUCT_OFF_SALE', 'this product is not on sale');
  const outcome = await repo.add(uid, productId, count);
  if (!outcome.ok) {
    throw outcome.reason === 'CART_FULL'
      ? conflict('CART_FULL', `a cart holds at most ${MAX_CART_PRODUCTS} different products`)
      : badRequest('COUNT_TOO_LARGE', `at most ${MAX_COUNT} of one product`);
  }
  return { product_id: productId, count: outcome.count };
}

export async function setCartCount(repo: CartRepository, uid: number, productId: number, count: number) {
  if (!(await repo.setCount(uid, productId, count))) throw notFound('NOT_IN_CART', 'this product is not in the cart');
  return { product_id: productId, count };
}

/** Removes a product from the cart; removing one that is not there changes nothing. */
export async function removeFromCart(repo: CartRepository, uid: number, productId: number) {
  await repo.remove(uid, productId);
  return {};
}

/**
 * Saga step RemoveFromCart, after the order awaits payment: products ordered from the cart
 * leave it, once. It has no compensation (a cancelled order does not refill the cart).
 */
export async function removeOrderedFromCart(repo: CartRepository, barrier: Barrier, gid: string, input: SagaInput): Promise<StepOutcome> {
  await repo.checkout(
    barrier,
    gid,
    input.uid,
    input.items.map((i) => i.pid),
  );
  return success();
}

/** The caller's cart, newest first, with each product's current price and stock. */
export async function listCart(repo: CartRepository, catalog: Catalog, uid: number): Promise<{ products: CartProduct[] }> {
  const lines = (await repo.lines(uid)).sort((a, b) => b.addedAt - a.addedAt);
  const byId = new Map((await catalog.products(lines.map((l) => l.productId))).map((p) => [p.id, p]));
  return {
    products: lines.map((line) => {
      const entry = byId.get(line.productId);
      // The catalogue's own flags (removed, flashSale) are not part of the cart's product view.
      const { removed, flashSale: _flashSale, ...product } = entry ?? unknownProduct(line.productId);
      return { product, count: line.count, available: Boolean(entry) && !removed && product.status === ON_SALE };
    }),
  };
}

/** A product the catalogue no longer knows at all (never expected, since removal is soft). */
function unknownProduct(id: number): CatalogEntry {
  return {
    id,
    name: '',
    description: '',
    price: 0,
    stock: 0,
    category: '',
    status: OFF_SALE, // not 0: go-zero-mall's 0 is on sale
    sales: 0,
    create_time: 0,
    update_time: 0,
    removed: true,
  };
}
