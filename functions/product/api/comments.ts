import { apiHandler } from '../../../shared/handlers/api';
import { productComments } from '../content-service';
import { catalog } from '../dependencies';
import { commentsRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(commentsRequest, ({ input }) => productComments(repo, input.product_id, input.cursor, input.ps));
