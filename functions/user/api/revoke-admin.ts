import { adminRoleHandler } from '../admin-role-handler';

/** POST /api/user/admin/revoke: an admin takes the admin role from another user (not from themselves). */
export const handler = adminRoleHandler('user');
