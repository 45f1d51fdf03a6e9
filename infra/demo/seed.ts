import {
  DEMO_ADMIN,
  DEMO_BANNERS,
  DEMO_CATEGORIES,
  DEMO_FLASH_SALE_DELAY_SECONDS,
  DEMO_FLASH_SALE_PRODUCTS,
  DEMO_PRODUCTS,
  DEMO_USER,
} from './demo-shop';

interface Account {
  mobile: string;
  password: string;
}

export interface SeedOptions {
  /**
   * Also create the demo shopper (DEMO_USER, whose password is published) and let it write the
   * products' comments. The local cloud does; `npm run seed` only with --with-demo-shopper.
   */
  demoShopper?: boolean;
  /** Gives an account the admin role by the operator action (the local start passes it). */
  makeAdmin?: (mobile: string) => Promise<unknown>;
}

/**
 * Loads the demo shop through the mall's own HTTP API, so it works against any deployment:
 * the local cloud, LocalStack or AWS. `admin` must be an account with the admin role (it is
 * registered if it does not exist yet): made one by the operator (`npm run admin:grant`), or by
 * `makeAdmin`, which the local start passes (the same operator action, on the local cloud's
 * table). Loading twice does nothing the second time. Returns false when the demo was already there.
 */
export async function seedDemoShop(
  apiUrl: string,
  admin: Account = DEMO_ADMIN,
  log: (line: string) => void = () => {},
  { demoShopper = false, makeAdmin }: SeedOptions = {},
): Promise<boolean> {
  const call = async (method: 'GET' | 'POST', route: string, body?: unknown, token?: string) => {
    const res = await fetch(apiUrl.replace(/\/$/, '') + route, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // The fields the seed reads: a token, an id, the banners.
    const reply = (await res.json().catch(() => ({}))) as { accessToken?: string; id?: number; banners?: Array<{ title: string }> };
    return { status: res.status, body: reply };
  };
  const must = async (method: 'GET' | 'POST', route: string, body?: unknown, token?: string) => {
    const reply = await call(method, route, body, token);
    if (reply.status !== 200) throw new Error(`${route} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const signIn = async (account: Account & { name: string; gender: number }, grant?: SeedOptions['makeAdmin']) => {
    const registered = await call('POST', '/api/user/register', account);
    if (registered.status !== 200 && registered.status !== 409)
      throw new Error(`register ${account.mobile}: ${JSON.stringify(registered.body)}`);
    await grant?.(account.mobile);
    const login = await call('POST', '/api/user/login', { mobile: account.mobile, password: account.password });
    if (login.status !== 200) throw new Error(`login ${account.mobile} failed: ${JSON.stringify(login.body)}`);
    return login.body.accessToken as string;
  };

  const adminToken = await signIn({ name: DEMO_ADMIN.name, gender: DEMO_ADMIN.gender, ...admin }, makeAdmin);
  const role = JSON.parse(Buffer.from(adminToken.split('.')[1]!, 'base64url').toString('utf8')).role;
  if (role !== 'admin') {
    throw new Error(`${admin.mobile} has no admin role: give it one with npm run admin:grant -- --mobile ${admin.mobile}`);
  }
  const { banners = [] } = await must('GET', '/api/home/banners', undefined, adminToken);
  if (banners.some((b) => b.title === DEMO_BANNERS[0]!.title)) {
    log('demo shop already loaded');
    return false;
  }

  const userToken = demoShopper ? await signIn(DEMO_USER) : undefined;
  if (!userToken) log(`no demo shopper (${DEMO_USER.mobile}) and no comments: --with-demo-shopper adds them`);
  const categoryIds = new Map<string, number>();
  for (const { children = [], ...top } of DEMO_CATEGORIES) {
    const { id } = await must('POST', '/api/category/create', top, adminToken);
    categoryIds.set(top.name, id!);
    for (const child of children) {
      categoryIds.set(child.name, (await must('POST', '/api/category/create', { ...child, parent_id: id }, adminToken)).id!);
    }
  }
  const ids = new Map<string, number>();
  for (const { comments = [], ...product } of DEMO_PRODUCTS) {
    const body = { ...product, category_id: categoryIds.get(product.category), status: 1 };
    const { id } = await must('POST', '/api/product/create', body, adminToken);
    ids.set(product.name, id!);
    if (userToken) for (const content of comments) await must('POST', '/api/product/comment/add', { product_id: id, content }, userToken);
  }
  for (const banner of DEMO_BANNERS) await must('POST', '/api/home/banner/save', banner, adminToken);
  await must(
    'POST',
    '/api/home/flashsale/set',
    {
      start_time: Math.floor(Date.now() / 1000) + DEMO_FLASH_SALE_DELAY_SECONDS,
      product_ids: DEMO_FLASH_SALE_PRODUCTS.map((name) => ids.get(name)!),
    },
    adminToken,
  );
  log(`demo shop loaded: ${DEMO_PRODUCTS.length} products in ${categoryIds.size} categories, ${DEMO_BANNERS.length} banners, a flash sale`);
  return true;
}
