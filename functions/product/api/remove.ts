import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { removeProduct } from '../product-service';
import { idRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, ({ input }) => removeProduct(repo, input.id));
