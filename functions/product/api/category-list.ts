import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { categoryList } from '../product-service';
import { categoryListRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(categoryListRequest, ({ input }) => categoryList(repo, input));
