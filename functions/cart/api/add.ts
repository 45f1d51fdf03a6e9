import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { addToCart } from '../cart-service';
import { cartRepository, catalog } from '../dependencies';
import { addRequest } from '../schemas';

const repo = cartRepository();
const products = catalog();

export const handler = apiHandler(addRequest, ({ input, caller }) =>
  addToCart(repo, products, requireCaller(caller).uid, input.product_id, input.count),
);
