import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { productComments } from '../product-service';
import { commentsRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(commentsRequest, ({ input }) => productComments(repo, input.product_id, input.cursor, input.ps));
