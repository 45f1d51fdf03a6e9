import * as z from 'zod';
import * as cart from '../functions/cart/schemas';
import * as coupon from '../functions/coupon/schemas';
import * as afterSale from '../functions/order/after-sale-schemas';
import * as fulfilment from '../functions/order/fulfilment-schemas';
import * as order from '../functions/order/schemas';
import * as pay from '../functions/pay/schemas';
import * as category from '../functions/product/category-schemas';
import * as product from '../functions/product/schemas';
import * as address from '../functions/user/address-schemas';
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
  /** The 200 reply's JSON body, exactly: the e2e client checks every reply against it. */
  response: z.ZodType;
  /** Why a public route is public. */
  publicBecause?: string;
  /**
   * An anonymous storefront read: its answer is the same for everyone, so it carries
   * Cache-Control: public with the stage's max-age, and the stage throttles it on its own
   * (StageConfig.publicReads).
   */
  publicRead?: true;
}

/** Why the storefront's reads are public. */
const STOREFRONT = 'the storefront is browsed before logging in; it reads only what every shopper sees';

/** No input: anything sent is ignored. */
const none = z.object({});
/** The reply of a route that only acts: `{}`. */
const empty = z.strictObject({});

/** A route as the table writes it: its group gives the tag, and the service whose api/ folder holds `handler`. */
type Entry = Omit<Route, 'method' | 'path' | 'tag'>;

/** One tag's routes, keyed "METHOD /path", served by functions/<service>/api/<handler>.ts. */
function group(tag: string, service: string, entries: Record<`${Route['method']} /api/${string}`, Entry>): Route[] {
  return Object.entries(entries).map(([key, { handler, ...entry }]) => {
    const [method, path] = key.split(' ') as [Route['method'], string];
    return { method, path, handler: `${service}/api/${handler}`, tag, ...entry };
  });
}

/**
 * Every route of the mall's API, declared once. The API construct wires each to its handler
 * (MallApi.route), behind the JWT authorizer unless public; the handler's wrapper enforces the
 * access level (ROUTE_ACCESS); the OpenAPI document is generated from it (infra/openapi.ts).
 * A test checks that every route here is deployed, and only these.
 */
export const ROUTES: Route[] = [
  ...group('user', 'user', {
    'POST /api/user/register': {
      handler: 'register',
      access: 'public',
      summary: 'Register a user',
      input: user.registerRequest,
      response: user.userProfileResponse,
    },
    'POST /api/user/login': {
      handler: 'login',
      access: 'public',
      summary: 'Log in: an access token and its expiry',
      input: user.loginRequest,
      response: user.loginResponse,
    },
    'POST /api/user/userinfo': {
      handler: 'userinfo',
      access: 'user',
      summary: "The caller's profile",
      input: none,
      response: user.userProfileResponse,
    },
    'POST /api/user/logout': { handler: 'logout', access: 'user', summary: 'Revoke this token everywhere', input: none, response: empty },
    'POST /api/user/admin/grant': {
      handler: 'grant-admin',
      access: 'admin',
      summary: 'Give a user the admin role (at once, also for their existing tokens)',
      input: user.adminRoleRequest,
      response: user.adminRoleResponse,
    },
    'POST /api/user/admin/revoke': {
      handler: 'revoke-admin',
      access: 'admin',
      summary: "Take a user's admin role (at once, also from their existing tokens); not one's own",
      input: user.adminRoleRequest,
      response: user.adminRoleResponse,
    },
  }),
  // Profiles and the address book (issue 12).
  ...group('user', 'user', {
    'POST /api/user/profile/update': {
      handler: 'profile-update',
      access: 'user',
      summary: "Change the caller's name, gender or avatar (an https URL)",
      input: user.updateProfileRequest,
      response: user.userProfileResponse,
    },
    'POST /api/user/password/change': {
      handler: 'password-change',
      access: 'user',
      summary: "Change the caller's password; every earlier token is refused, the answer is a new one",
      input: user.changePasswordRequest,
      response: user.loginResponse,
    },
  }),
  ...group('address', 'user', {
    'GET /api/user/address/list': {
      handler: 'address-list',
      access: 'user',
      summary: "The caller's addresses, the default first",
      input: address.listAddressesRequest,
      response: address.addressListResponse,
    },
    'POST /api/user/address/add': {
      handler: 'address-add',
      access: 'user',
      summary: 'Add an address (at most 20; the first is the default)',
      input: address.addAddressRequest,
      response: address.addressResponse,
    },
    'POST /api/user/address/update': {
      handler: 'address-update',
      access: 'user',
      summary: "Change some fields of one of the caller's addresses",
      input: address.updateAddressRequest,
      response: address.addressResponse,
    },
    'POST /api/user/address/remove': {
      handler: 'address-remove',
      access: 'user',
      summary: "Remove one of the caller's addresses (the newest remaining becomes the default)",
      input: address.addressIdRequest,
      response: empty,
    },
    'POST /api/user/address/set-default': {
      handler: 'address-set-default',
      access: 'user',
      summary: "Make one of the caller's addresses the default",
      input: address.addressIdRequest,
      response: address.addressResponse,
    },
  }),
  ...group('product', 'product', {
    'POST /api/product/create': {
      handler: 'create',
      access: 'admin',
      summary: 'Create a product',
      input: product.createProductRequest,
      response: product.createProductResponse,
    },
    'POST /api/product/update': {
      handler: 'update',
      access: 'admin',
      summary: 'Change the fields given',
      input: product.updateProductRequest,
      response: empty,
    },
    'POST /api/product/remove': {
      handler: 'remove',
      access: 'admin',
      summary: 'Remove a product',
      input: product.idRequest,
      response: empty,
    },
    'POST /api/product/detail': {
      handler: 'detail',
      access: 'public',
      summary: 'A product with its stock',
      input: product.idRequest,
      response: product.productDetailResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
  }),
  ...group('storefront', 'product', {
    'GET /api/home/recommend': {
      handler: 'recommend',
      access: 'public',
      summary: 'Recommended products, newest first, cursor-paged',
      input: product.recommendRequest,
      response: product.recommendResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'GET /api/category/list': {
      handler: 'category-list',
      access: 'public',
      summary: "A category's products by a sort, cursor-paged",
      input: product.categoryListRequest,
      response: product.categoryListResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'GET /api/product/comment/list': {
      handler: 'comments',
      access: 'public',
      summary: "A product's comments, newest first",
      input: product.commentsRequest,
      response: product.commentsResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'POST /api/product/comment/add': {
      handler: 'comment-add',
      access: 'user',
      summary: 'Comment on a product',
      input: product.addCommentRequest,
      response: product.commentResponse,
    },
    'GET /api/home/banners': {
      handler: 'banners',
      access: 'public',
      summary: 'Home banners',
      input: none,
      response: product.bannersResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'POST /api/home/banner/save': {
      handler: 'banner-save',
      access: 'admin',
      summary: 'Create or replace a banner',
      input: product.saveBannerRequest,
      response: product.bannerResponse,
    },
    'POST /api/home/banner/remove': {
      handler: 'banner-remove',
      access: 'admin',
      summary: 'Remove a banner',
      input: product.idRequest,
      response: empty,
    },
    'GET /api/home/flashsale': {
      handler: 'flashsale',
      access: 'public',
      summary: 'The flash sale: start time and products',
      input: none,
      response: product.flashSaleResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'POST /api/home/flashsale/set': {
      handler: 'flashsale-set',
      access: 'admin',
      summary: 'Set the flash sale',
      input: product.setFlashSaleRequest,
      response: empty,
    },
  }),
  // Categories and search (issue 12): the product service.
  ...group('category', 'product', {
    'POST /api/category/create': {
      handler: 'category-create',
      access: 'admin',
      summary: 'Create a category (parent_id 0: top level; else a top-level category)',
      input: category.createCategoryRequest,
      response: category.categoryResponse,
    },
    'POST /api/category/update': {
      handler: 'category-update',
      access: 'admin',
      summary: "Change a category's name, sort or status",
      input: category.updateCategoryRequest,
      response: category.categoryResponse,
    },
    'POST /api/category/remove': {
      handler: 'category-remove',
      access: 'admin',
      summary: 'Remove a category without child categories or products',
      input: category.categoryIdRequest,
      response: empty,
    },
    'GET /api/category/tree': {
      handler: 'category-tree',
      access: 'public',
      summary: 'The categories that are on, as a two-level tree, by sort',
      input: none,
      response: category.categoryTreeResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
    'GET /api/product/search': {
      handler: 'search',
      access: 'public',
      summary: 'Products on sale with every word of q in their name or category, newest first, cursor-paged',
      input: category.searchRequest,
      response: category.searchResponse,
      publicBecause: STOREFRONT,
      publicRead: true,
    },
  }),
  ...group('cart', 'cart', {
    'GET /api/cart/list': {
      handler: 'list',
      access: 'user',
      summary: "The caller's cart with current prices and stock",
      input: none,
      response: cart.cartResponse,
    },
    'POST /api/cart/add': {
      handler: 'add',
      access: 'user',
      summary: 'Add a product (counts add up)',
      input: cart.addRequest,
      response: cart.cartLineResponse,
    },
    'POST /api/cart/update': {
      handler: 'update',
      access: 'user',
      summary: "Set a product's count",
      input: cart.updateRequest,
      response: cart.cartLineResponse,
    },
    'POST /api/cart/remove': {
      handler: 'remove',
      access: 'user',
      summary: 'Take a product out',
      input: cart.removeRequest,
      response: empty,
    },
  }),
  ...group('coupon', 'coupon', {
    'POST /api/coupon/issue': {
      handler: 'issue',
      access: 'admin',
      summary: 'Issue a coupon to a user',
      input: coupon.issueRequest,
      response: coupon.couponResponse,
    },
    'GET /api/coupon/list': {
      handler: 'list',
      access: 'user',
      summary: "The caller's coupons",
      input: none,
      response: coupon.couponsResponse,
    },
  }),
  ...group('order', 'order', {
    'POST /api/order/create': {
      handler: 'create',
      access: 'user',
      summary:
        "Place an order: answers the saga's outcome (awaiting payment with payment_id, or cancelled with reason), or pending if the saga takes longer than the wait (2 s). Header Idempotency-Key optional.",
      input: order.createRequest,
      response: order.orderStateResponse,
    },
    'POST /api/order/detail': {
      handler: 'detail',
      access: 'user',
      summary: 'An order (own, or any for an admin)',
      input: order.idRequest,
      response: order.orderResponse,
    },
    'POST /api/order/list': {
      handler: 'list',
      access: 'user',
      summary: "The caller's orders, newest first (a JSON array)",
      input: order.listRequest,
      response: order.ordersResponse,
    },
    'POST /api/order/cancel': {
      handler: 'cancel',
      access: 'user',
      summary:
        'Cancel your own order before shipping (a paid one is refunded; 409 REFUNDS_UNAVAILABLE where no payment provider can refund)',
      input: order.idRequest,
      response: order.orderStateResponse,
    },
    'POST /api/order/update': {
      handler: 'update',
      access: 'admin',
      summary: "Set an order's remark",
      input: order.updateRequest,
      response: empty,
    },
    'GET /api/order/stuck': {
      handler: 'stuck',
      access: 'admin',
      summary: 'Orders stuck in compensation (cancelling longer than the alarm limit), oldest first',
      input: order.stuckRequest,
      response: order.stuckOrdersResponse,
    },
    'POST /api/order/remove': {
      handler: 'remove',
      access: 'user',
      summary: 'Hide a finished or cancelled order',
      input: order.idRequest,
      response: empty,
    },
    // Fulfilment (issue 12): shipping to completion, and the lists by state.
    'POST /api/order/ship': {
      handler: 'ship',
      access: 'admin',
      summary: 'Ship a paid order with a carrier and a tracking number (the same again answers the same)',
      input: fulfilment.shipRequest,
      response: order.orderResponse,
    },
    'POST /api/order/receive': {
      handler: 'receive',
      access: 'user',
      summary: 'Confirm receipt of your own shipped order (again, or after the automatic receipt: the same answer)',
      input: fulfilment.receiveRequest,
      response: order.orderResponse,
    },
    'GET /api/order/list': {
      handler: 'my-orders',
      access: 'user',
      summary: "lebron's order list: the caller's orders, optionally in one state, newest first, with is_end",
      input: fulfilment.myOrdersRequest,
      response: fulfilment.orderPageResponse,
    },
    'GET /api/order/admin/list': {
      handler: 'admin-list',
      access: 'admin',
      summary: 'Orders in one state from payment on (paid, shipped, received, after_sale, completed), oldest in that state first',
      input: fulfilment.ordersInStateRequest,
      response: fulfilment.orderPageResponse,
    },
    // After-sale (issue 12): a refund asked for after receipt, decided by an admin.
    'POST /api/order/refund': {
      handler: 'refund',
      access: 'user',
      summary: 'Ask for a refund of your own received order within the return window, with a reason (once per order)',
      input: afterSale.refundRequest,
      response: order.orderResponse,
    },
    'POST /api/order/refund/approve': {
      handler: 'refund-approve',
      access: 'admin',
      summary:
        'Approve a refund request: goods returned undoes the order like a cancel; goods kept refunds the amount only (409 REFUNDS_UNAVAILABLE where no payment provider can refund)',
      input: afterSale.approveRequest,
      response: order.orderResponse,
    },
    'POST /api/order/refund/reject': {
      handler: 'refund-reject',
      access: 'admin',
      summary: 'Reject a refund request with a note for the buyer',
      input: afterSale.rejectRequest,
      response: order.orderResponse,
    },
  }),
  ...group('pay', 'pay', {
    'POST /api/pay/create': {
      handler: 'create',
      access: 'user',
      summary: "The order's payment",
      input: pay.createRequest,
      response: pay.createPaymentResponse,
    },
    'POST /api/pay/detail': {
      handler: 'detail',
      access: 'user',
      summary: 'A payment',
      input: pay.detailRequest,
      response: pay.paymentResponse,
    },
    'POST /api/pay/callback': {
      handler: 'callback',
      access: 'user',
      summary: 'Confirm your own payment (sandbox mode only)',
      input: pay.callbackRequest,
      response: pay.paymentResponse,
    },
    'POST /api/pay/notify': {
      handler: 'notify',
      access: 'public',
      summary:
        'The provider\'s notification; headers X-Mall-Timestamp: <unix seconds> and X-Mall-Signature: sha256=<HMAC of "<timestamp>.<body>">, within 5 minutes',
      input: pay.callbackRequest,
      response: pay.paymentResponse,
      publicBecause: 'the payment provider calls it; the body is HMAC-signed with a timestamp',
    },
    // Refunds the relay gave up on after the retry bound (alarm RefundFlagged): still owed.
    'GET /api/pay/refunds/flagged': {
      handler: 'refunds-flagged',
      access: 'admin',
      summary: 'Refunds flagged for an operator: they kept failing and are no longer retried (still owed), oldest first',
      input: pay.flaggedRefundsRequest,
      response: pay.flaggedRefundsResponse,
    },
    'POST /api/pay/refunds/requeue': {
      handler: 'refund-requeue',
      access: 'admin',
      summary: "Re-queue a flagged refund once its cause is fixed: the relay's next run tries it again, with a fresh count",
      input: pay.requeueRefundRequest,
      response: pay.requeueRefundResponse,
    },
  }),
];

/** The route a handler file serves, e.g. routeOf('order/api/create'). */
export function routeOf(handler: string): Route | undefined {
  return ROUTES.find((r) => r.handler === handler);
}
