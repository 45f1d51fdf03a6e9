import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { productDetail } from '../product-service';
import { idRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, ({ input }) => productDetail(repo, input.id));
