import * as z from 'zod';
import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { listCart } from '../cart-service';
import { cartRepository, catalog } from '../dependencies';

const repo = cartRepository();
const products = catalog();

export const handler = apiHandler(z.object({}), ({ caller }) => listCart(repo, products, requireCaller(caller).uid));
