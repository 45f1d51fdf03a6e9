import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';

export type Role = 'user' | 'admin';

export interface TokenClaims {
  uid: number;
  role: Role;
  name: string;
  jti: string;
  /** Unix seconds. */
  exp: number;
  /**
   * The user's session version when the token was issued; a password change raises the stored
   * one, and the authorizer refuses tokens whose version is not the stored one. Absent (0) on
   * tokens issued before versions existed.
   */
  sv: number;
}

export interface TokenSettings {
  /** The HMAC key; read from Secrets Manager once per container. */
  key: () => Promise<Uint8Array>;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

// Pinned: a token signed with any other algorithm (including "none") is refused.
const ALGORITHM = 'HS256';

const claimsSchema = z.object({
  uid: z.number().int().positive(),
  role: z.enum(['user', 'admin']),
  name: z.string().default(''),
  jti: z.string().min(1),
  exp: z.number().int(),
  sv: z.number().int().min(0).default(0),
});

export async function issueToken(
  settings: TokenSettings,
  subject: { uid: number; role: Role; name: string; sv?: number },
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ token: string; exp: number }> {
  const exp = nowSeconds + settings.ttlSeconds;
  const token = await new SignJWT({ uid: subject.uid, role: subject.role, name: subject.name, sv: subject.sv ?? 0 })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(String(subject.uid))
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(await settings.key());
  return { token, exp };
}

/** Verifies signature, algorithm, expiry, issuer and audience; throws on any failure. */
export async function verifyToken(settings: TokenSettings, token: string): Promise<TokenClaims> {
  const { payload } = await jwtVerify(token, await settings.key(), {
    algorithms: [ALGORITHM],
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['exp', 'iat', 'jti'],
  });
  return claimsSchema.parse(payload);
}

/** `Authorization: Bearer <jwt>`; the scheme word is case-insensitive, as real clients vary. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer[ \t]+([A-Za-z0-9_\-.]+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}
