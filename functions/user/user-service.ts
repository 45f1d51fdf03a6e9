import type { Caller } from '../../shared/caller';
import { conflict, notFound, tooManyRequests, unauthorized } from '../../shared/errors';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords';
import type { LoginRequest, LoginResponse, RegisterRequest, UserProfile } from './schemas';
import { issueToken, type TokenSettings } from './tokens';
import { type Credential, MobileTakenError, type UserStore } from './user-repository';

/**
 * Per-account backoff against password guessing: after `lockAfterFailures` wrong passwords in a
 * row, login is refused for `backoffBaseSeconds`, doubling with each further wrong password up
 * to `backoffMaxSeconds`. Attempts while locked are refused without checking the password and
 * without counting, so an attacker can keep an account locked for at most the cap at a time.
 */
export interface LoginLockout {
  lockAfterFailures: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
}

export async function register(users: UserStore, input: RegisterRequest): Promise<UserProfile> {
  const passwordHash = await hashPassword(input.password);
  const profile: UserProfile = {
    id: await users.nextUserId(),
    name: input.name,
    gender: input.gender,
    mobile: input.mobile,
  };
  try {
    await users.create(profile, passwordHash);
  } catch (error) {
    if (error instanceof MobileTakenError) {
      throw conflict('MOBILE_TAKEN', 'this mobile number is already registered');
    }
    throw error;
  }
  return profile;
}

/** The token carries the role stored on the user's record (granted by an admin or the operator, never by login). */
export async function login(
  users: UserStore,
  tokens: TokenSettings,
  lockout: LoginLockout,
  input: LoginRequest,
  nowMs = Date.now(),
): Promise<LoginResponse> {
  const credential = await users.findCredential(input.mobile);
  if (credential && credential.lockedUntil > nowMs) throw locked(credential.lockedUntil, nowMs);
  // One answer for an unknown mobile and a wrong password, in the same time, so login cannot
  // be used to find out who is registered.
  const valid = credential ? await verifyPassword(input.password, credential.passwordHash) : await burnPasswordCheck(input.password);
  if (!credential) throw wrongCredentials();
  if (!valid) {
    await countFailure(users, lockout, credential, nowMs);
    throw wrongCredentials();
  }
  if (credential.failedLogins > 0 || credential.lockedUntil > 0) await users.clearLoginFailures(credential.mobile);
  if (needsRehash(credential.passwordHash)) {
    await users.replacePasswordHash(credential.mobile, credential.passwordHash, await hashPassword(input.password));
  }
  const role = (await users.findRole(credential.uid)) ?? 'user';
  const { token, exp } = await issueToken(tokens, { uid: credential.uid, role, name: credential.name, sv: credential.sessionVersion });
  return { accessToken: token, accessExpire: exp };
}

export async function countFailure(users: UserStore, lockout: LoginLockout, credential: Credential, nowMs: number): Promise<void> {
  const failures = await users.countLoginFailure(credential.mobile);
  if (failures < lockout.lockAfterFailures) return;
  const seconds = Math.min(lockout.backoffBaseSeconds * 2 ** (failures - lockout.lockAfterFailures), lockout.backoffMaxSeconds);
  const until = nowMs + seconds * 1000;
  await users.lockLogin(credential.mobile, until);
  throw locked(until, nowMs);
}

const wrongCredentials = () => unauthorized('INVALID_CREDENTIALS', 'mobile or password is wrong');

export function locked(untilMs: number, nowMs: number) {
  const seconds = Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
  return tooManyRequests('TOO_MANY_ATTEMPTS', `too many wrong passwords for this account; retry in ${seconds} s`, seconds);
}

export async function userInfo(users: UserStore, caller: Caller): Promise<UserProfile> {
  const profile = await users.findProfile(caller.uid);
  if (!profile) throw notFound('USER_NOT_FOUND', 'user not found');
  const { avatar, ...rest } = profile;
  return avatar ? { ...rest, avatar } : rest;
}
