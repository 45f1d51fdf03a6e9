import type { Caller } from '../../shared/caller';
import { conflict, forbidden, notFound } from '../../shared/errors';
import type { AuthorizationCache } from './session-service';
import type { Role } from './tokens';
import { NotAdminError, UserNotFoundError, type UserStore } from './user-repository';

/**
 * An admin grants or takes the admin role. The role is stored on the user's record, which the
 * authorizer reads for every decision it makes; the stage's authorizer cache is flushed (not
 * throttled: admins only) so decisions cached with the old role are forgotten at once.
 */
export async function setAdminRole(
  users: UserStore,
  cache: AuthorizationCache,
  caller: Caller,
  uid: number,
  role: Role,
): Promise<{ uid: number; role: Role }> {
  // Not themselves, and only while still an admin (checked with the write): the last admin
  // standing is always the caller, so even two admins revoking each other at once leave one.
  if (role === 'user' && uid === caller.uid) throw conflict('CANNOT_REVOKE_SELF', 'an admin cannot revoke their own admin role');
  try {
    await users.setRole(uid, role, caller.uid);
  } catch (error) {
    if (error instanceof UserNotFoundError) throw notFound('USER_NOT_FOUND', 'user not found');
    if (error instanceof NotAdminError) throw forbidden('ADMIN_ONLY', 'this action needs the admin role');
    throw error;
  }
  await cache.flush();
  return { uid, role };
}
