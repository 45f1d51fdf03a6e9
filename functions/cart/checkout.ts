import { sagaStep, success } from '../../shared/saga';
import { cartRepository } from './dependencies';

const repo = cartRepository();

/**
 * Saga step RemoveFromCart, after the order awaits payment: products ordered from the cart
 * leave it. Removing is idempotent, so a repeated delivery changes nothing; it has no
 * compensation (a cancelled order does not refill the cart).
 */
export const handler = sagaStep('RemoveFromCart', async (input) => {
  for (const item of input.items) await repo.remove(input.uid, item.pid);
  return success();
});
