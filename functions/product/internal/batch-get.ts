import { internalHandler } from '../../../shared/handlers/internal';
import { catalog } from '../dependencies';
import { batchGet } from '../product-service';
import { batchGetRequest } from '../schemas';

const repo = catalog();

/**
 * Internal, not an API route: other services (cart, orders) invoke it with `{ ids }` to read
 * current products and stock without touching the catalogue's table.
 */
export const handler = internalHandler(batchGetRequest, ({ ids }) => batchGet(repo, ids));
