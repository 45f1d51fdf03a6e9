import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { recommend } from '../product-service';
import { recommendRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(recommendRequest, ({ input }) => recommend(repo, input.cursor, input.ps));
