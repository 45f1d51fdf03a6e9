import { apiHandler, requireCaller } from '../../shared/http';
import { apiAuthorizationCache, userStore } from './dependencies';
import { emptyRequest } from './schemas';
import { logout } from './user-service';

const users = userStore();
const authorizationCache = apiAuthorizationCache();

export const handler = apiHandler(emptyRequest, async ({ caller }) => {
  await logout(users, authorizationCache, requireCaller(caller));
  return {};
});
