import { apiHandler, requireCaller } from '../../../shared/handlers/api';
import { cartRepository } from '../dependencies';
import { removeRequest } from '../schemas';

const repo = cartRepository();

export const handler = apiHandler(removeRequest, async ({ input, caller }) => {
  await repo.remove(requireCaller(caller).uid, input.product_id);
  return {};
});
