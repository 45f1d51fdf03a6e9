import { parseArgs } from 'node:util';
import { setRoleByMobile } from './admin-role';

/**
 * `npm run admin:grant -- --mobile <mobile> [--table <user table>] [--endpoint <url>]`
 * `npm run admin:revoke -- --mobile <mobile> [--force] ...`
 * Gives (or takes) the admin role of a registered user, with your AWS credentials (the default
 * credential chain and region). For the local cloud, pass --endpoint with its DynamoDB Local
 * endpoint (`npm start` prints it). Revoking the last admin is refused (exit 1) unless --force.
 */
const { values } = parseArgs({
  options: {
    mobile: { type: 'string' },
    table: { type: 'string' },
    endpoint: { type: 'string' },
    revoke: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
});
if (!values.mobile) {
  console.error(
    'usage: npm run admin:grant -- --mobile <mobile> [--table <user table>] [--endpoint <url>]  (admin:revoke [--force] to take it)',
  );
  process.exit(2);
}
const role = values.revoke ? 'user' : 'admin';
try {
  const { uid, table, lastAdmin } = await setRoleByMobile(
    values.mobile,
    role,
    { endpoint: values.endpoint, table: values.table },
    { force: values.force },
  );
  if (lastAdmin) console.warn(`[admin] WARNING: ${table} has no admin any more; grant one with npm run admin:grant -- --mobile <mobile>`);
  console.log(
    `[admin] user ${uid} (${values.mobile}) in ${table} now has the role ${role}: in tokens from their next login, and for tokens they hold once the authorizer's cached decision expires`,
  );
} catch (error) {
  console.error(`[admin] failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
