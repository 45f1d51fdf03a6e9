import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { setCartCount } from '../cart-service';
import { cartRepository } from '../dependencies';
import { updateRequest } from '../schemas';

const repo = cartRepository();

export const handler = apiHandler(updateRequest, ({ input, caller }) =>
  setCartCount(repo, requireCaller(caller).uid, input.product_id, input.count),
);
