import * as z from 'zod';

// go-zero-mall's user API (seed 000, chapter 3): same routes and JSON field names.

export const mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{6,20}$/, 'must be 6 to 20 digits, optionally starting with +');

function newPassword() {
  return z.string().min(8, 'must be at least 8 characters').max(128);
}

export const registerRequest = z.object({
  name: z.string().trim().min(1).max(64),
  /** 0 unknown, 1 male, 2 female, as the seed's tinyint. */
  gender: z.number().int().min(0).max(2),
  mobile,
  /** New passwords: at least 8 characters. Login still accepts the 6 allowed before. */
  password: newPassword(),
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
  /** An https URL; only once the user has set one. */
  avatar?: string;
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
  avatar: z.string().optional(),
}) satisfies z.ZodType<UserProfile>;

export const loginResponse = z.strictObject({ accessToken: z.string(), accessExpire: z.number().int() }) satisfies z.ZodType<LoginResponse>;

export const adminRoleResponse = z.strictObject({ uid: z.number().int(), role: z.enum(['user', 'admin']) });

/** An avatar is an https URL (a page served over https must not load it over http), or "" to remove it. */
const avatar = z
  .string()
  .trim()
  .max(500)
  .refine((value) => value === '' || isHttpsUrl(value), 'must be an https:// URL');

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** POST /api/user/profile/update: any of name, gender and avatar; the others keep their value. */
export const updateProfileRequest = z
  .strictObject({ name: registerRequest.shape.name.optional(), gender: registerRequest.shape.gender.optional(), avatar: avatar.optional() })
  .refine((o) => o.name !== undefined || o.gender !== undefined || o.avatar !== undefined, {
    message: 'give at least one of name, gender, avatar',
    path: ['name'],
  });
export type UpdateProfileRequest = z.infer<typeof updateProfileRequest>;

/** POST /api/user/password/change: the current password, and the new one (the rule of register). */
export const changePasswordRequest = z.strictObject({
  old_password: z.string().min(1).max(128),
  new_password: newPassword(),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequest>;
