import { expect } from 'vitest';
import type { ProfileChanges, ProfileStore } from '../../functions/user/profile-repository';
import type { UserProfile } from '../../functions/user/schemas';
import type { SessionStore } from '../../functions/user/session-repository';
import type { Role, TokenSettings } from '../../functions/user/tokens';
import { type Credential, MobileTakenError, NotAdminError, UserNotFoundError, type UserStore } from '../../functions/user/user-repository';
import { AppError } from '../../shared/errors';

/** In-memory UserStore and SessionStore with the same contract as the DynamoDB ones (tested end to end). */
export class MemoryUserStore implements UserStore, SessionStore, ProfileStore {
  lastId = 0;
  profiles = new Map<number, UserProfile>();
  roles = new Map<number, Role>();
  credentials = new Map<string, Credential>();
  revoked = new Map<string, number>();
  lastFlushMs: number | undefined;
  async nextUserId() {
    return ++this.lastId;
  }
  async create(profile: UserProfile, passwordHash: string) {
    if (this.credentials.has(profile.mobile)) throw new MobileTakenError();
    this.profiles.set(profile.id, profile);
    this.roles.set(profile.id, 'user');
    this.credentials.set(profile.mobile, {
      uid: profile.id,
      mobile: profile.mobile,
      name: profile.name,
      passwordHash,
      failedLogins: 0,
      lockedUntil: 0,
      sessionVersion: 0,
    });
  }
  async findCredential(mobile: string) {
    const credential = this.credentials.get(mobile);
    return credential && { ...credential };
  }
  async findProfile(uid: number) {
    return this.profiles.get(uid);
  }
  async findRole(uid: number) {
    return this.roles.get(uid);
  }
  sessionVersions = new Map<number, number>();
  async findSession(uid: number) {
    const role = this.roles.get(uid);
    if (!role) return undefined;
    const { name = '', avatar = '' } = this.profiles.get(uid) ?? {};
    return { role, name, avatar, sessionVersion: this.sessionVersions.get(uid) ?? 0 };
  }
  async updateProfile(uid: number, mobile: string, changes: ProfileChanges) {
    const profile = this.profiles.get(uid);
    if (!profile) return 'refused' as const;
    this.profiles.set(uid, { ...profile, ...changes });
    if (changes.name !== undefined) this.credentials.get(mobile)!.name = changes.name;
    return 'done' as const;
  }
  async changePassword(uid: number, mobile: string, previous: string, next: string, nextVersion: number) {
    const credential = this.credentials.get(mobile)!;
    if (credential.passwordHash !== previous) return 'refused' as const;
    Object.assign(credential, { passwordHash: next, sessionVersion: nextVersion });
    this.sessionVersions.set(uid, nextVersion);
    return 'done' as const;
  }
  async setRole(uid: number, role: Role, byAdmin?: number) {
    if (byAdmin !== undefined && this.roles.get(byAdmin) !== 'admin') throw new NotAdminError();
    if (!this.roles.has(uid)) throw new UserNotFoundError();
    this.roles.set(uid, role);
  }
  async countLoginFailure(mobile: string) {
    const credential = this.credentials.get(mobile)!;
    credential.failedLogins += 1;
    return credential.failedLogins;
  }
  async lockLogin(mobile: string, untilMs: number) {
    this.credentials.get(mobile)!.lockedUntil = untilMs;
  }
  async clearLoginFailures(mobile: string) {
    Object.assign(this.credentials.get(mobile)!, { failedLogins: 0, lockedUntil: 0 });
  }
  async replacePasswordHash(mobile: string, previous: string, next: string) {
    const credential = this.credentials.get(mobile)!;
    if (credential.passwordHash === previous) credential.passwordHash = next;
  }
  async revokeToken(jti: string, expiresAt: number) {
    this.revoked.set(jti, expiresAt);
  }
  async isTokenRevoked(jti: string) {
    return this.revoked.has(jti);
  }
  async claimAuthorizerFlush(nowMs: number, intervalMs: number) {
    if (this.lastFlushMs !== undefined && this.lastFlushMs > nowMs - intervalMs)
      return { claimed: false as const, lastMs: this.lastFlushMs };
    this.lastFlushMs = nowMs;
    return { claimed: true as const };
  }
}

export const tokens: TokenSettings = {
  key: async () => new TextEncoder().encode('unit-test-key-'.repeat(4)),
  issuer: 'mall/test',
  audience: 'mall-api',
  ttlSeconds: 600,
};
export const lockout = { lockAfterFailures: 5, backoffBaseSeconds: 30, backoffMaxSeconds: 900 };
export const ann = { name: 'Ann', gender: 2, mobile: '13800000001', password: 'password-1' };

/** The AppError a rule refused with. */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
