/** Who is calling, as the API's JWT authorizer put it into the request context. */
export interface Caller {
  uid: number;
  role: 'user' | 'admin';
  /** Display name on the user record (the authorizer reads it), for records that show who wrote them (comments). */
  name: string;
  /** The avatar URL stored on the user's record ('' for none), for the same records. */
  avatar?: string;
  /** The token's id and expiry (seconds), so logout can revoke exactly this token. */
  jti: string;
  exp: number;
}
