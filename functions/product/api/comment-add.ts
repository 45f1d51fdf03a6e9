import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { addComment } from '../product-service';
import { addCommentRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(addCommentRequest, ({ input, caller }) => addComment(repo, requireCaller(caller), input));
