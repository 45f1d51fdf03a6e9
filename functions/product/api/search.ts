import { apiHandler } from '../../../shared/handlers/api';
import { searchRequest } from '../category-schemas';
import { catalog } from '../dependencies';
import { search } from '../search-service';

const repo = catalog();

export const handler = apiHandler(searchRequest, ({ input }) => search(repo, input));
