import { adminRoleHandler } from '../admin-role-handler';

/** POST /api/user/admin/grant: an admin makes another user an admin. */
export const handler = adminRoleHandler('admin');
