import { errors } from 'jose';
import { ZodError } from 'zod';
import type { Caller } from '../../shared/caller';
import { conflict, notFound, unauthorized } from '../../shared/errors';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import type { LoginRequest, LoginResponse, RegisterRequest, UserProfile } from './schemas';
import { bearerToken, issueToken, type Role, type TokenClaims, type TokenSettings, verifyToken } from './tokens';
import { MobileTakenError, type UserStore } from './user-repository';

/** Forgets cached authorizer decisions, so a revoked token is refused at once rather than after the cache TTL. */
export interface AuthorizationCache {
  flush(): Promise<void>;
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

export async function login(
  users: UserStore,
  tokens: TokenSettings,
  adminMobiles: ReadonlySet<string>,
  input: LoginRequest,
): Promise<LoginResponse> {
  const credential = await users.findCredential(input.mobile);
  // One answer for an unknown mobile and a wrong password, in the same time, so login cannot
  // be used to find out who is registered.
  const valid = credential ? await verifyPassword(input.password, credential.passwordHash) : await burnPasswordCheck(input.password);
  if (!credential || !valid) {
    throw unauthorized('INVALID_CREDENTIALS', 'mobile or password is wrong');
  }
  const role: Role = adminMobiles.has(credential.mobile) ? 'admin' : 'user';
  const { token, exp } = await issueToken(tokens, { uid: credential.uid, role, name: credential.name });
  return { accessToken: token, accessExpire: exp };
}

export async function userInfo(users: UserStore, caller: Caller): Promise<UserProfile> {
  const profile = await users.findProfile(caller.uid);
  if (!profile) throw notFound('USER_NOT_FOUND', 'user not found');
  return profile;
}

export async function logout(users: UserStore, cache: AuthorizationCache, caller: Caller): Promise<void> {
  await users.revokeToken(caller.jti, caller.exp);
  await cache.flush();
}

/**
 * The authorizer's decision: the claims of a valid, unexpired, unrevoked token, or undefined
 * for anything else (missing, malformed, tampered, wrong algorithm or key, expired, revoked).
 */
export async function authorize(
  users: UserStore,
  tokens: TokenSettings,
  authorizationHeader: string | undefined,
): Promise<TokenClaims | undefined> {
  const token = bearerToken(authorizationHeader);
  if (!token) return undefined;
  let claims: TokenClaims;
  try {
    claims = await verifyToken(tokens, token);
  } catch (error) {
    // Only a bad token is a refusal; failing to read the key is an outage and must surface.
    if (error instanceof errors.JOSEError || error instanceof ZodError) return undefined;
    throw error;
  }
  if (await users.isTokenRevoked(claims.jti)) return undefined;
  return claims;
}
