import { sagaStep } from '../../../shared/handlers/saga-step';
import { gidOf } from '../../../shared/saga';
import { removeOrderedFromCart } from '../cart-service';
import { cartBarrier, cartRepository } from '../dependencies';

const repo = cartRepository();
const barrier = cartBarrier();

/** Saga step RemoveFromCart: products ordered from the cart leave it, once (no compensation). */
export const handler = sagaStep('RemoveFromCart', (input) => removeOrderedFromCart(repo, barrier, gidOf(input), input));
