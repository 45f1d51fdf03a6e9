import { apiHandler } from '../../../shared/handlers/api';
import { createCategoryRequest } from '../category-schemas';
import { createCategory } from '../category-service';
import { catalog } from '../dependencies';

const repo = catalog();

export const handler = apiHandler(createCategoryRequest, ({ input }) => createCategory(repo, input));
