import { randomInt } from 'node:crypto';
import { inject } from 'vitest';
import { setRoleByMobile } from '../../infra/admin/admin-role';
import { ROUTES, type Route } from '../../infra/routes';

export const apiUrl = inject('apiUrl');

export interface Reply<T = any> {
  status: number;
  body: T;
}

/** POSTs to the mall's API the way a go-zero-mall client does. `body` may be raw text. */
export function post<T = any>(route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  return postAt(apiUrl, route, body, headers);
}

/** `post` to another mall (a dedicated local cloud), its 200 replies checked the same way. */
export function postAt<T = any>(base: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  return request('POST', route, base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every 200 reply is checked against its route's response schema (infra/routes.ts), which allows no other field. */
async function request<T>(method: Route['method'], path: string, url: string, init: RequestInit): Promise<Reply<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.status === 200) expectDeclaredReply(method, path, parsed);
  return { status: res.status, body: parsed };
}

/** A route's path as a pattern: a `{param}` segment matches any one segment. */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/\{[^/}]+\}/g, '[^/]+')}$`);
const declared = ROUTES.map((route) => ({ route, pattern: pathPattern(route.path) }));

function expectDeclaredReply(method: Route['method'], path: string, body: unknown): void {
  const name = `${method} ${path}`;
  const found = declared.find(({ route, pattern }) => route.method === method && pattern.test(path));
  if (!found) throw new Error(`${name} answered 200, but infra/routes.ts declares no such route`);
  const checked = found.route.response.safeParse(body);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new Error(
      `${name} (${found.route.handler}): the 200 reply does not match its response schema: ${problems}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
    );
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** GETs a storefront read, with lebron's query parameters. */
export function get<T = any>(
  route: string,
  query: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  return getAt(apiUrl, route, query, headers);
}

/** `get` from another mall (a dedicated local cloud). */
export function getAt<T = any>(
  base: string,
  route: string,
  query: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const qs = new URLSearchParams(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]))).toString();
  return request('GET', route, `${base}${route}${qs ? `?${qs}` : ''}`, { headers });
}

let adminToken: Promise<string> | undefined;
/**
 * A token with the admin role: the configured admin account, registered on first use and, on
 * the local cloud, made an admin the operator's way (npm run admin:grant, on its table); a
 * deployed stage's admin must already be one.
 */
export function asAdmin(): Promise<Record<string, string>> {
  adminToken ??= (async () => {
    const { mobile, password } = inject('admin');
    await post('/api/user/register', { name: 'Admin', gender: 0, mobile, password }); // 409 if it exists
    const endpoint = inject('dynamoEndpoint');
    if (endpoint) await setRoleByMobile(mobile, 'admin', { endpoint });
    const login = await post('/api/user/login', { mobile, password });
    if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
    return login.body.accessToken as string;
  })();
  return adminToken.then(bearer);
}

/** A mobile no other test (or earlier run against the same stage) has used. */
export function uniqueMobile(): string {
  return `1${Date.now().toString().slice(-7)}${String(randomInt(1_000_000)).padStart(6, '0')}`.slice(0, 15);
}

export async function registerAndLogin(name = 'Tester'): Promise<{ id: number; mobile: string; password: string; token: string }> {
  const mobile = uniqueMobile();
  const password = 'correct horse battery';
  const registered = await post('/api/user/register', { name, gender: 1, mobile, password });
  if (registered.status !== 200) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await post('/api/user/login', { mobile, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: registered.body.id, mobile, password, token: login.body.accessToken };
}

/** Polls an order until its saga has finished (not pending or cancelling), and returns it. */
export async function settledOrder(token: string, id: number, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await post('/api/order/detail', { id }, bearer(token));
    if (reply.status !== 200) throw new Error(`order ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
    if (!['pending', 'cancelling'].includes(reply.body.state)) return reply.body;
    if (Date.now() > deadline) throw new Error(`order ${id} is still ${reply.body.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
