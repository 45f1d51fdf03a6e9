import { apiHandler } from '../../../shared/handlers/api';
import { removeBanner } from '../content-service';
import { catalog } from '../dependencies';
import { idRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, ({ input }) => removeBanner(repo, input.id));
