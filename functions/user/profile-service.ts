import type { Caller } from '../../shared/caller';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { hashPassword, verifyPassword } from './passwords';
import type { ProfileStore, WriteOutcome } from './profile-repository';
import type { ChangePasswordRequest, LoginResponse, UpdateProfileRequest, UserProfile } from './schemas';
import type { SessionStore } from './session-repository';
import { type AuthorizationCache, type FlushThrottle, flushAfterChange } from './session-service';
import { issueToken, type TokenSettings } from './tokens';
import type { UserStore } from './user-repository';
import { countFailure, type LoginLockout, locked } from './user-service';

/** What changing one's profile or password needs: the records, and the authorizer cache to flush after. */
export interface ProfileDeps {
  users: UserStore;
  profiles: ProfileStore;
  sessions: SessionStore;
  cache: AuthorizationCache;
  throttle: FlushThrottle;
}

const userNotFound = () => notFound('USER_NOT_FOUND', 'user not found');

function checkWritten(outcome: WriteOutcome, what: string, refused: () => Error): void {
  if (outcome === 'refused') throw refused();
  if (outcome === 'contended') throw conflict('CONCURRENT_UPDATE', `the ${what} was being changed at the same moment; try again`, 1);
}

/**
 * Changes the caller's name, gender or avatar. The authorizer hands routes the name and avatar
 * stored now, so its cached decisions are flushed (throttled, as logout's) before answering:
 * a comment written after this answer shows the new ones.
 */
export async function updateProfile(deps: ProfileDeps, caller: Caller, input: UpdateProfileRequest): Promise<UserProfile> {
  const profile = await deps.users.findProfile(caller.uid);
  if (!profile) throw userNotFound();
  checkWritten(await deps.profiles.updateProfile(caller.uid, profile.mobile, input), 'profile', userNotFound);
  if (input.name !== undefined || input.avatar !== undefined) await flushAfterChange(deps.sessions, deps.cache, deps.throttle);
  const { avatar, ...rest } = { ...profile, ...input };
  return avatar ? { ...rest, avatar } : rest;
}

/**
 * Changes the caller's password, given the current one. A wrong one counts towards the login
 * backoff (a stolen token must not become a way to guess the password). Every token issued
 * before, the caller's own included, is refused from then on: the change raises the session
 * version the authorizer checks, and flushes its cached decisions. The answer is a new token,
 * the session the caller continues with.
 */
export async function changePassword(
  deps: ProfileDeps,
  tokens: TokenSettings,
  lockout: LoginLockout,
  caller: Caller,
  input: ChangePasswordRequest,
  nowMs = Date.now(),
): Promise<LoginResponse> {
  const profile = await deps.users.findProfile(caller.uid);
  const credential = profile && (await deps.users.findCredential(profile.mobile));
  if (!credential || credential.uid !== caller.uid) throw userNotFound();
  if (credential.lockedUntil > nowMs) throw locked(credential.lockedUntil, nowMs);
  if (!(await verifyPassword(input.old_password, credential.passwordHash))) {
    await countFailure(deps.users, lockout, credential, nowMs);
    throw badRequest('WRONG_PASSWORD', 'old_password is not the current password');
  }
  const sessionVersion = credential.sessionVersion + 1;
  const nextHash = await hashPassword(input.new_password);
  checkWritten(
    await deps.profiles.changePassword(caller.uid, credential.mobile, credential.passwordHash, nextHash, sessionVersion),
    'password',
    () => conflict('CONCURRENT_UPDATE', 'the password was changed meanwhile; log in with the new one'),
  );
  if (credential.failedLogins > 0 || credential.lockedUntil > 0) await deps.users.clearLoginFailures(credential.mobile);
  const { token, exp } = await issueToken(tokens, { uid: caller.uid, role: caller.role, name: credential.name, sv: sessionVersion });
  await flushAfterChange(deps.sessions, deps.cache, deps.throttle);
  return { accessToken: token, accessExpire: exp };
}
