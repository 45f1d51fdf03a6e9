import { apiHandler } from '../../../shared/handlers/api';
import { setFlashSale } from '../content-service';
import { catalog } from '../dependencies';
import { setFlashSaleRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(setFlashSaleRequest, ({ input }) => setFlashSale(repo, input));
