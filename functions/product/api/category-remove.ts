import { apiHandler } from '../../../shared/handlers/api';
import { categoryIdRequest } from '../category-schemas';
import { removeCategory } from '../category-service';
import { catalog } from '../dependencies';

const repo = catalog();

export const handler = apiHandler(categoryIdRequest, ({ input }) => removeCategory(repo, input.id));
