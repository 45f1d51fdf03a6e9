import { apiHandler } from '../../../shared/handlers/api';
import { updateCategoryRequest } from '../category-schemas';
import { updateCategory } from '../category-service';
import { catalog } from '../dependencies';
import { reindexProduct } from '../product-service';

const repo = catalog();

export const handler = apiHandler(updateCategoryRequest, ({ input }) => updateCategory(repo, input, (id) => reindexProduct(repo, id)));
