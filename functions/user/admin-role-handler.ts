import { apiHandler, requireCaller } from '../../shared/handlers/api';
import { logger } from '../../shared/powertools';
import { setAdminRole } from './admin-service';
import { apiAuthorizationCache, userStore } from './dependencies';
import { adminRoleRequest } from './schemas';
import type { Role } from './tokens';

/** The handler of POST /api/user/admin/grant (role admin) and /revoke (role user). */
export function adminRoleHandler(role: Role) {
  const users = userStore();
  const authorizationCache = apiAuthorizationCache();
  return apiHandler(adminRoleRequest, async ({ input, caller }) => {
    const result = await setAdminRole(users, authorizationCache, requireCaller(caller), input.uid, role);
    logger.info('role changed', { target: input.uid, role });
    return result;
  });
}
