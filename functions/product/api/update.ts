import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { updateProduct } from '../product-service';
import { updateProductRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(updateProductRequest, ({ input }) => updateProduct(repo, input));
