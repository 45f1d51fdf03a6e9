import { z } from 'zod';
import * as cart from '../functions/cart/schemas';
import * as coupon from '../functions/coupon/schemas';
import * as order from '../functions/order/schemas';
import * as pay from '../functions/pay/schemas';
import * as product from '../functions/product/schemas';
import * as user from '../functions/user/schemas';

export interface RouteDoc {
  summary: string;
  /** The very schema the handler validates its input with (body, or query for GET). */
  input: z.ZodType;
  tag: string;
}

const none = z.object({});

/**
 * What the OpenAPI document says of each route. MallApi.route refuses a route that is not
 * here, and a test checks that every route here is deployed, so the document cannot drift.
 */
export const API_DOCS: Record<string, RouteDoc> = {
  'POST /api/user/register': { tag: 'user', summary: 'Register a user', input: user.registerRequest },
  'POST /api/user/login': { tag: 'user', summary: 'Log in: an access token and its expiry', input: user.loginRequest },
  'POST /api/user/userinfo': { tag: 'user', summary: "The caller's profile", input: none },
  'POST /api/user/logout': { tag: 'user', summary: 'Revoke this token everywhere', input: none },
  'POST /api/product/create': { tag: 'product', summary: 'Create a product (admin)', input: product.createProductRequest },
  'POST /api/product/update': { tag: 'product', summary: 'Change the fields given (admin)', input: product.updateProductRequest },
  'POST /api/product/remove': { tag: 'product', summary: 'Remove a product (admin)', input: product.idRequest },
  'POST /api/product/detail': { tag: 'product', summary: 'A product with its stock', input: product.idRequest },
  'GET /api/home/recommend': { tag: 'storefront', summary: 'Recommended products, newest first, cursor-paged', input: product.recommendRequest },
  'GET /api/category/list': { tag: 'storefront', summary: "A category's products by a sort, cursor-paged", input: product.categoryListRequest },
  'GET /api/product/comment/list': { tag: 'storefront', summary: "A product's comments, newest first", input: product.commentsRequest },
  'POST /api/product/comment/add': { tag: 'storefront', summary: 'Comment on a product', input: product.addCommentRequest },
  'GET /api/home/banners': { tag: 'storefront', summary: 'Home banners', input: none },
  'POST /api/home/banner/save': { tag: 'storefront', summary: 'Create or replace a banner (admin)', input: product.saveBannerRequest },
  'POST /api/home/banner/remove': { tag: 'storefront', summary: 'Remove a banner (admin)', input: product.idRequest },
  'GET /api/home/flashsale': { tag: 'storefront', summary: 'The flash sale: start time and products', input: none },
  'POST /api/home/flashsale/set': { tag: 'storefront', summary: 'Set the flash sale (admin)', input: product.setFlashSaleRequest },
  'GET /api/cart/list': { tag: 'cart', summary: "The caller's cart with current prices and stock", input: none },
  'POST /api/cart/add': { tag: 'cart', summary: 'Add a product (counts add up)', input: cart.addRequest },
  'POST /api/cart/update': { tag: 'cart', summary: "Set a product's count", input: cart.updateRequest },
  'POST /api/cart/remove': { tag: 'cart', summary: 'Take a product out', input: cart.removeRequest },
  'POST /api/coupon/issue': { tag: 'coupon', summary: 'Issue a coupon to a user (admin)', input: coupon.issueRequest },
  'GET /api/coupon/list': { tag: 'coupon', summary: "The caller's coupons", input: none },
  'POST /api/order/create': { tag: 'order', summary: 'Place an order (pending at once; the saga does the rest). Header Idempotency-Key optional.', input: order.createRequest },
  'POST /api/order/detail': { tag: 'order', summary: 'An order (own, or any for an admin)', input: order.idRequest },
  'POST /api/order/list': { tag: 'order', summary: "The caller's orders, newest first (a JSON array)", input: order.listRequest },
  'POST /api/order/cancel': { tag: 'order', summary: 'Cancel an order before payment', input: order.idRequest },
  'POST /api/order/update': { tag: 'order', summary: "Set an order's remark (admin)", input: order.updateRequest },
  'POST /api/order/remove': { tag: 'order', summary: 'Hide a finished or cancelled order', input: order.idRequest },
  'POST /api/pay/create': { tag: 'pay', summary: "The order's payment", input: pay.createRequest },
  'POST /api/pay/detail': { tag: 'pay', summary: 'A payment', input: pay.detailRequest },
  'POST /api/pay/callback': { tag: 'pay', summary: 'Confirm your own payment (sandbox mode only)', input: pay.callbackRequest },
  'POST /api/pay/notify': { tag: 'pay', summary: "The provider's notification; header X-Mall-Signature: sha256=<HMAC of the body>", input: pay.callbackRequest },
};

/** The OpenAPI 3 document of the routes, generated from the handlers' zod schemas. */
export function openApiDocument(routes: Array<{ method: string; path: string; public: boolean }>, serverUrl = 'http://localhost:3000') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = API_DOCS[`${route.method} ${route.path}`]!;
    const { $schema: _dialect, ...schema } = z.toJSONSchema(doc.input, { io: 'input', unrepresentable: 'any' }) as {
      $schema?: string;
      properties?: Record<string, object>;
      required?: string[];
    };
    const operation: Record<string, unknown> = {
      tags: [doc.tag],
      summary: doc.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\/(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      ...(route.public ? { security: [] } : {}),
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
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
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
