import { apiHandler } from '../../../shared/handlers/api';
import { catalog } from '../dependencies';
import { idRequest } from '../schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, async ({ input }) => {
  await repo.removeBanner(input.id);
  return {};
});
