import { apiHandler, requireAdmin } from '../../shared/http';
import { catalog } from './dependencies';
import { setFlashSale } from './product-service';
import { setFlashSaleRequest } from './schemas';

const repo = catalog();

export const handler = apiHandler(setFlashSaleRequest, async ({ input, caller }) => {
  requireAdmin(caller);
  return setFlashSale(repo, input);
});
