import { errors } from 'jose';
import { ZodError } from 'zod';
import type { Caller } from '../../shared/caller';
import type { ProfileStore } from './profile-repository';
import type { SessionStore } from './session-repository';
import { bearerToken, type TokenClaims, type TokenSettings, verifyToken } from './tokens';

/** Forgets cached authorizer decisions, so a revoked token or role is refused at once rather than after the cache TTL. */
export interface AuthorizationCache {
  flush(): Promise<void>;
}

/** Logout's bound on flushing: at most one flush of the stage's cache per `intervalMs`, whoever logs out. */
export interface FlushThrottle {
  intervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Revokes the caller's token, then makes sure a flush of the authorizer cache starts after the
 * revocation was written, without flushing more than once per interval for the whole stage:
 * if another logout flushed after our revocation, that flush covers this token too; if the
 * last flush was earlier, wait until the interval has passed and flush (or find that someone
 * else did). Logout thus stays effective at once (its reply comes after the flush), and any
 * number of logouts cost at most one flush per interval.
 */
export async function logout(sessions: SessionStore, cache: AuthorizationCache, throttle: FlushThrottle, caller: Caller): Promise<void> {
  await sessions.revokeToken(caller.jti, caller.exp);
  await flushAfterChange(sessions, cache, throttle);
}

/**
 * Returns once a flush of the authorizer cache has started after this call (a revocation, a
 * password or profile change written just before it), flushing at most once per interval for
 * the whole stage: see logout.
 */
export async function flushAfterChange(sessions: SessionStore, cache: AuthorizationCache, throttle: FlushThrottle): Promise<void> {
  const now = throttle.now ?? Date.now;
  const sleep = throttle.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const revokedAt = now();
  for (;;) {
    const claim = await sessions.claimAuthorizerFlush(now(), throttle.intervalMs);
    if (claim.claimed) {
      await cache.flush();
      return;
    }
    if (claim.lastMs >= revokedAt) return;
    await sleep(Math.max(1, claim.lastMs + throttle.intervalMs - now()));
  }
}

/**
 * The authorizer's decision: the claims of a valid, unexpired, unrevoked token of an existing
 * user, with the role, name and avatar stored on the user's record now (never the token's own
 * role claim, so a revoked admin role is refused at once), or undefined for anything else. A
 * token issued before the user's last password change (another session version) is refused.
 */
export async function authorize(
  users: Pick<ProfileStore, 'findSession'>,
  sessions: SessionStore,
  tokens: TokenSettings,
  authorizationHeader: string | undefined,
): Promise<(TokenClaims & { avatar: string }) | undefined> {
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
  const [revoked, user] = await Promise.all([sessions.isTokenRevoked(claims.jti), users.findSession(claims.uid)]);
  if (revoked || !user || user.sessionVersion !== claims.sv) return undefined;
  return { ...claims, role: user.role, name: user.name, avatar: user.avatar };
}
