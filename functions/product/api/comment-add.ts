import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { addComment } from '../content-service';
import { catalog } from '../dependencies';
import { addCommentRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(addCommentRequest, ({ input, caller }) => addComment(repo, requireCaller(caller), input));
