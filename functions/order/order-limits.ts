import { requireIntEnv } from '../../shared/env';
import { badRequest, conflict } from '../../shared/errors';

/**
 * What one account may hold at once, so nobody takes a product's whole stock: unpaid orders
 * (pending or awaiting payment), units of one product and lines and units in one order.
 */
export interface OrderLimits {
  maxOpenPerUser: number;
  maxUnitsPerProduct: number;
  maxLines: number;
  maxUnits: number;
}

/** The limits the stage configuration gives the order API (infra/config.ts, orderLimits). */
export const orderLimitsFromEnv = (): OrderLimits => ({
  maxOpenPerUser: requireIntEnv('ORDER_MAX_OPEN_PER_USER'),
  maxUnitsPerProduct: requireIntEnv('ORDER_MAX_UNITS_PER_PRODUCT'),
  maxLines: requireIntEnv('ORDER_MAX_LINES'),
  maxUnits: requireIntEnv('ORDER_MAX_UNITS'),
});

/** 400 TOO_MANY_LINES or TOO_MANY_UNITS (per product, lines of the same product added up, and per order). */
export function checkItems(limits: OrderLimits, items: Array<{ pid: number; num: number }>): void {
  if (items.length > limits.maxLines) throw badRequest('TOO_MANY_LINES', `an order has at most ${limits.maxLines} lines`);
  const perProduct = new Map<number, number>();
  for (const { pid, num } of items) perProduct.set(pid, (perProduct.get(pid) ?? 0) + num);
  for (const [pid, num] of perProduct) {
    if (num > limits.maxUnitsPerProduct) {
      throw badRequest('TOO_MANY_UNITS', `at most ${limits.maxUnitsPerProduct} units of a product per order (product ${pid}: ${num})`);
    }
  }
  const units = [...perProduct.values()].reduce((a, b) => a + b, 0);
  if (units > limits.maxUnits) throw badRequest('TOO_MANY_UNITS', `an order has at most ${limits.maxUnits} units (this one ${units})`);
}

/** 409 TOO_MANY_OPEN_ORDERS: the user already has the most unpaid orders allowed. */
export const tooManyOpenOrders = (limits: OrderLimits) =>
  conflict('TOO_MANY_OPEN_ORDERS', `at most ${limits.maxOpenPerUser} unpaid orders at once: pay or cancel one first`);
