import { z } from 'zod';
import * as cart from '../functions/cart/schemas';
import * as coupon from '../functions/coupon/schemas';
import * as order from '../functions/order/schemas';
import * as pay from '../functions/pay/schemas';
import * as product from '../functions/product/schemas';
import * as user from '../functions/user/schemas';

/** Who may call a route: anyone, a logged-in user (the JWT authorizer), or a user with the admin role. */
export type Access = 'public' | 'user' | 'admin';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /** The handler file, functions/<service>/api/<name>.ts. */
  handler: string;
  tag: string;
  summary: string;
  /** The very schema the handler validates its input with (body, or query for GET). */
  input: z.ZodType;
  /** Why a public route is public. */
  publicBecause?: string;
}

const none = z.object({});

/**
 * Every route of the mall's API, declared once. The API construct wires each to its handler
 * (MallApi.route), behind the JWT authorizer unless public; the handler's wrapper enforces the
 * access level (ROUTE_ACCESS); the OpenAPI document is generated from it. A test checks that
 * every route here is deployed, and only these.
 */
export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/api/user/register',
    access: 'public',
    handler: 'user/api/register',
    tag: 'user',
    summary: 'Register a user',
    input: user.registerRequest,
  },
  {
    method: 'POST',
    path: '/api/user/login',
    access: 'public',
    handler: 'user/api/login',
    tag: 'user',
    summary: 'Log in: an access token and its expiry',
    input: user.loginRequest,
  },
  {
    method: 'POST',
    path: '/api/user/userinfo',
    access: 'user',
    handler: 'user/api/userinfo',
    tag: 'user',
    summary: "The caller's profile",
    input: none,
  },
  {
    method: 'POST',
    path: '/api/user/logout',
    access: 'user',
    handler: 'user/api/logout',
    tag: 'user',
    summary: 'Revoke this token everywhere',
    input: none,
  },
  {
    method: 'POST',
    path: '/api/product/create',
    access: 'admin',
    handler: 'product/api/create',
    tag: 'product',
    summary: 'Create a product',
    input: product.createProductRequest,
  },
  {
    method: 'POST',
    path: '/api/product/update',
    access: 'admin',
    handler: 'product/api/update',
    tag: 'product',
    summary: 'Change the fields given',
    input: product.updateProductRequest,
  },
  {
    method: 'POST',
    path: '/api/product/remove',
    access: 'admin',
    handler: 'product/api/remove',
    tag: 'product',
    summary: 'Remove a product',
    input: product.idRequest,
  },
  {
    method: 'POST',
    path: '/api/product/detail',
    access: 'user',
    handler: 'product/api/detail',
    tag: 'product',
    summary: 'A product with its stock',
    input: product.idRequest,
  },
  {
    method: 'GET',
    path: '/api/home/recommend',
    access: 'user',
    handler: 'product/api/recommend',
    tag: 'storefront',
    summary: 'Recommended products, newest first, cursor-paged',
    input: product.recommendRequest,
  },
  {
    method: 'GET',
    path: '/api/category/list',
    access: 'user',
    handler: 'product/api/category-list',
    tag: 'storefront',
    summary: "A category's products by a sort, cursor-paged",
    input: product.categoryListRequest,
  },
  {
    method: 'GET',
    path: '/api/product/comment/list',
    access: 'user',
    handler: 'product/api/comments',
    tag: 'storefront',
    summary: "A product's comments, newest first",
    input: product.commentsRequest,
  },
  {
    method: 'POST',
    path: '/api/product/comment/add',
    access: 'user',
    handler: 'product/api/comment-add',
    tag: 'storefront',
    summary: 'Comment on a product',
    input: product.addCommentRequest,
  },
  {
    method: 'GET',
    path: '/api/home/banners',
    access: 'user',
    handler: 'product/api/banners',
    tag: 'storefront',
    summary: 'Home banners',
    input: none,
  },
  {
    method: 'POST',
    path: '/api/home/banner/save',
    access: 'admin',
    handler: 'product/api/banner-save',
    tag: 'storefront',
    summary: 'Create or replace a banner',
    input: product.saveBannerRequest,
  },
  {
    method: 'POST',
    path: '/api/home/banner/remove',
    access: 'admin',
    handler: 'product/api/banner-remove',
    tag: 'storefront',
    summary: 'Remove a banner',
    input: product.idRequest,
  },
  {
    method: 'GET',
    path: '/api/home/flashsale',
    access: 'user',
    handler: 'product/api/flashsale',
    tag: 'storefront',
    summary: 'The flash sale: start time and products',
    input: none,
  },
  {
    method: 'POST',
    path: '/api/home/flashsale/set',
    access: 'admin',
    handler: 'product/api/flashsale-set',
    tag: 'storefront',
    summary: 'Set the flash sale',
    input: product.setFlashSaleRequest,
  },
  {
    method: 'GET',
    path: '/api/cart/list',
    access: 'user',
    handler: 'cart/api/list',
    tag: 'cart',
    summary: "The caller's cart with current prices and stock",
    input: none,
  },
  {
    method: 'POST',
    path: '/api/cart/add',
    access: 'user',
    handler: 'cart/api/add',
    tag: 'cart',
    summary: 'Add a product (counts add up)',
    input: cart.addRequest,
  },
  {
    method: 'POST',
    path: '/api/cart/update',
    access: 'user',
    handler: 'cart/api/update',
    tag: 'cart',
    summary: "Set a product's count",
    input: cart.updateRequest,
  },
  {
    method: 'POST',
    path: '/api/cart/remove',
    access: 'user',
    handler: 'cart/api/remove',
    tag: 'cart',
    summary: 'Take a product out',
    input: cart.removeRequest,
  },
  {
    method: 'POST',
    path: '/api/coupon/issue',
    access: 'admin',
    handler: 'coupon/api/issue',
    tag: 'coupon',
    summary: 'Issue a coupon to a user',
    input: coupon.issueRequest,
  },
  {
    method: 'GET',
    path: '/api/coupon/list',
    access: 'user',
    handler: 'coupon/api/list',
    tag: 'coupon',
    summary: "The caller's coupons",
    input: none,
  },
  {
    method: 'POST',
    path: '/api/order/create',
    access: 'user',
    handler: 'order/api/create',
    tag: 'order',
    summary: 'Place an order (pending at once; the saga does the rest). Header Idempotency-Key optional.',
    input: order.createRequest,
  },
  {
    method: 'POST',
    path: '/api/order/detail',
    access: 'user',
    handler: 'order/api/detail',
    tag: 'order',
    summary: 'An order (own, or any for an admin)',
    input: order.idRequest,
  },
  {
    method: 'POST',
    path: '/api/order/list',
    access: 'user',
    handler: 'order/api/list',
    tag: 'order',
    summary: "The caller's orders, newest first (a JSON array)",
    input: order.listRequest,
  },
  {
    method: 'POST',
    path: '/api/order/cancel',
    access: 'user',
    handler: 'order/api/cancel',
    tag: 'order',
    summary: 'Cancel an order before payment',
    input: order.idRequest,
  },
  {
    method: 'POST',
    path: '/api/order/update',
    access: 'admin',
    handler: 'order/api/update',
    tag: 'order',
    summary: "Set an order's remark",
    input: order.updateRequest,
  },
  {
    method: 'POST',
    path: '/api/order/remove',
    access: 'user',
    handler: 'order/api/remove',
    tag: 'order',
    summary: 'Hide a finished or cancelled order',
    input: order.idRequest,
  },
  {
    method: 'POST',
    path: '/api/pay/create',
    access: 'user',
    handler: 'pay/api/create',
    tag: 'pay',
    summary: "The order's payment",
    input: pay.createRequest,
  },
  {
    method: 'POST',
    path: '/api/pay/detail',
    access: 'user',
    handler: 'pay/api/detail',
    tag: 'pay',
    summary: 'A payment',
    input: pay.detailRequest,
  },
  {
    method: 'POST',
    path: '/api/pay/callback',
    access: 'user',
    handler: 'pay/api/callback',
    tag: 'pay',
    summary: 'Confirm your own payment (sandbox mode only)',
    input: pay.callbackRequest,
  },
  {
    method: 'POST',
    path: '/api/pay/notify',
    access: 'public',
    handler: 'pay/api/notify',
    tag: 'pay',
    summary: "The provider's notification; header X-Mall-Signature: sha256=<HMAC of the body>",
    input: pay.callbackRequest,
    publicBecause: 'the payment provider calls it; the body is HMAC-signed',
  },
];

/** The route a handler file serves, e.g. routeOf('order/api/create'). */
export function routeOf(handler: string): Route | undefined {
  return ROUTES.find((r) => r.handler === handler);
}

/** The OpenAPI 3 document of the routes, generated from the handlers' zod schemas. */
export function openApiDocument(routes: Route[], serverUrl = 'http://localhost:3000') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(route.input, { io: 'input', unrepresentable: 'any' }) as {
      $schema?: string;
      properties?: Record<string, object>;
      required?: string[];
    };
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.access === 'admin' ? `${route.summary} (admin)` : route.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\/(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      ...(route.access === 'public' ? { security: [] } : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        '4XX': { description: 'Refused', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '5XX': { description: 'Failed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (route.method === 'GET') {
      operation.parameters = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: (schema.required ?? []).includes(name),
        schema: s,
      }));
    } else {
      operation.requestBody = { required: true, content: { 'application/json': { schema } } };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0', // its schemas are JSON Schema 2020-12, as zod writes them
    info: { title: 'Serverless mall', version: '1.0.0', description: "go-zero-mall's HTTP API, on AWS Lambda and API Gateway" },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    paths,
  };
}
