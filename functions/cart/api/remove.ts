import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { removeFromCart } from '../cart-service';
import { cartRepository } from '../dependencies';
import { removeRequest } from '../schemas';

const repo = cartRepository();

export const handler = apiHandler(removeRequest, ({ input, caller }) => removeFromCart(repo, requireCaller(caller).uid, input.product_id));
