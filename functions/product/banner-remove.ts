import { apiHandler, requireAdmin } from '../../shared/http';
import { catalog } from './dependencies';
import { idRequest } from './schemas';

const repo = catalog();

export const handler = apiHandler(idRequest, async ({ input, caller }) => {
  requireAdmin(caller);
  await repo.removeBanner(input.id);
  return {};
});
