import { seedDemoShop } from './seed';

/**
 * `npm run seed`: loads the demo shop into any deployment.
 *   MALL_API_URL=https://.../dev MALL_ADMIN_MOBILE=... MALL_ADMIN_PASSWORD=... npm run seed
 * The admin must have the admin role: register, then `npm run admin:grant -- --mobile <mobile>`.
 * The demo shopper, whose password is published, is created only with --with-demo-shopper.
 */
const apiUrl = process.env.MALL_API_URL;
const mobile = process.env.MALL_ADMIN_MOBILE;
const password = process.env.MALL_ADMIN_PASSWORD;
if (!apiUrl || !mobile || !password) {
  console.error(
    'usage: MALL_API_URL=<api url> MALL_ADMIN_MOBILE=<mobile> MALL_ADMIN_PASSWORD=<password> npm run seed [-- --with-demo-shopper]',
  );
  process.exit(2);
}
try {
  await seedDemoShop(apiUrl, { mobile, password }, (line) => console.log(`[seed] ${line}`), {
    demoShopper: process.argv.includes('--with-demo-shopper'),
  });
} catch (error) {
  console.error(`[seed] failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
