import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../functions/user/tokens';
import { DynamoUserStore } from '../../functions/user/user-repository';
import { findTable, operatorClient } from './operator-dynamo';

/**
 * The operator's way to make (or unmake) an admin: writes the role on the user's record in the
 * user table directly, with the operator's own AWS credentials. Public registration never
 * grants a role; after the first admin, admins use POST /api/user/admin/grant and /revoke.
 * A role granted here shows in tokens issued from the next login (the authorizer reads the
 * stored role, but may hold a decision cached for an older token until its cache TTL).
 */
export interface AdminRoleTarget {
  /** The local cloud's DynamoDB endpoint (or LocalStack's); the default AWS endpoints when absent. */
  endpoint?: string;
  /** The user table; found by listing the tables (the one named UsersTable...) when absent. */
  table?: string;
}

/** Revoking the only admin's role, refused unless forced: nobody could grant it again but the operator. */
export class LastAdminError extends Error {}

/**
 * Sets the role. Taking it from the last admin is refused (LastAdminError) unless `force`; then
 * the answer says `lastAdmin`, so the operator can be warned.
 */
export async function setRoleByMobile(
  mobile: string,
  role: Role,
  target: AdminRoleTarget = {},
  { force = false } = {},
): Promise<{ uid: number; table: string; lastAdmin: boolean }> {
  const client = operatorClient(target.endpoint);
  try {
    const table = target.table ?? (await findTable(client, 'UsersTable', 'user'));
    const users = new DynamoUserStore(DynamoDBDocumentClient.from(client), table);
    const credential = await users.findCredential(mobile);
    if (!credential) throw new Error(`no user with mobile ${mobile} in ${table}: register first`);
    const lastAdmin = role === 'user' && (await users.findRole(credential.uid)) === 'admin' && (await users.countAdmins()) <= 1;
    if (lastAdmin && !force) {
      throw new LastAdminError(
        `${mobile} is the last admin of ${table}: revoking leaves the shop with no admin. Grant another admin first, or pass --force`,
      );
    }
    await users.setRole(credential.uid, role);
    return { uid: credential.uid, table, lastAdmin };
  } finally {
    client.destroy();
  }
}
