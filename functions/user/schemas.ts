import * as z from 'zod';

// go-zero-mall's user API (seed 000, chapter 3): same routes and JSON field names.

const mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{6,20}$/, 'must be 6 to 20 digits, optionally starting with +');

export const registerRequest = z.object({
  name: z.string().trim().min(1).max(64),
  /** 0 unknown, 1 male, 2 female, as the seed's tinyint. */
  gender: z.number().int().min(0).max(2),
  mobile,
  /** New passwords: at least 8 characters. Login still accepts the 6 allowed before. */
  password: z.string().min(8, 'must be at least 8 characters').max(128),
});
export type RegisterRequest = z.infer<typeof registerRequest>;

export const loginRequest = z.object({
  mobile: z.string().trim().min(1).max(32),
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.infer<typeof loginRequest>;

/** POST /api/user/admin/grant and /revoke: whose admin role. */
export const adminRoleRequest = z.object({ uid: z.number().int().positive() });

/** userinfo and logout take no body; anything sent is ignored. */
export const emptyRequest = z.unknown().transform(() => ({}));

export interface UserProfile {
  id: number;
  name: string;
  gender: number;
  mobile: string;
}

export interface LoginResponse {
  accessToken: string;
  /** Unix seconds at which the token expires, as go-zero-mall answers. */
  accessExpire: number;
}

// Replies (the 200 bodies): exactly these fields.

export const userProfileResponse = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  gender: z.number().int(),
  mobile: z.string(),
}) satisfies z.ZodType<UserProfile>;

export const loginResponse = z.strictObject({ accessToken: z.string(), accessExpire: z.number().int() }) satisfies z.ZodType<LoginResponse>;

export const adminRoleResponse = z.strictObject({ uid: z.number().int(), role: z.enum(['user', 'admin']) });
