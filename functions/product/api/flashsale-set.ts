import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { setFlashSale } from '../product-service';
import { setFlashSaleRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(setFlashSaleRequest, ({ input }) => setFlashSale(repo, input));
