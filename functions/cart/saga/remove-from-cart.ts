import { dynamo } from '../../../shared/aws';
import { Barrier } from '../../../shared/barrier';
import { requireEnv } from '../../../shared/env';
import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf, success } from '../../../shared/saga';
import { cartRepository } from '../dependencies';

const repo = cartRepository();
const barrier = new Barrier(dynamo, requireEnv('CART_TABLE'));

/**
 * Saga step RemoveFromCart, after the order awaits payment: products ordered from the cart
 * leave it, once. It has no compensation (a cancelled order does not refill the cart).
 */
export const handler = sagaStep('RemoveFromCart', async (input) => {
  await repo.checkout(
    barrier,
    gidOf(input),
    input.uid,
    input.items.map((i) => i.pid),
  );
  return success();
});
