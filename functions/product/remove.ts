import { apiHandler, requireAdmin } from '../../shared/http';
import { catalog } from './dependencies';
import { removeProduct } from './product-service';
import { idRequest } from './schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, async ({ input, caller }) => {
  requireAdmin(caller);
  return removeProduct(repo, input.id);
});
