import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from '../constructs/mall-api';
import { OrderService } from '../constructs/order-service';
import { PaymentService } from '../constructs/payment-service';
import type { CatalogStack } from './catalog-stack';
import type { DataStack } from './data-stack';
import type { UsersStack } from './users-stack';

/**
 * Orders and payments, and the order saga that joins them to the catalogue's steps. Payments
 * live here because the two services ask each other (the saga creates payments, paying reads
 * the order): in separate stacks they would reference each other in a cycle.
 */
export class OrdersStack extends Stack {
  readonly orders: OrderService;

  constructor(
    scope: Construct,
    id: string,
    config: StageConfig,
    { api, data, catalog, users }: { api: MallApi; data: DataStack; catalog: CatalogStack; users: UsersStack },
    props: StackProps,
  ) {
    super(scope, id, props);
    const { products, carts, coupons } = catalog;
    const payments = new PaymentService(this, 'Payments', config, data.tables.payments);
    this.orders = new OrderService(this, 'Orders', {
      api,
      config,
      table: data.tables.orders,
      events: data.events,
      paymentCloseForOrder: payments.closeForOrder,
      paymentRefundForOrder: payments.refundForOrder,
      catalogBatchGet: products.batchGet,
      couponQuote: coupons.quote,
      addressLookup: users.users.addressLookup,
      participants: {
        reserveStock: products.reserveStock,
        releaseStock: products.releaseStock,
        useCoupon: coupons.useCoupon,
        restoreCoupon: coupons.restoreCoupon,
        createPayment: payments.createPayment,
        closePayment: payments.closePayment,
        removeFromCart: carts.removeFromCart,
      },
    });
    payments.addApi({ api, orderGet: this.orders.get, events: data.events, providerKey: data.paymentProviderKey });
    payments.addOutboxRelay(data.events);
  }
}
