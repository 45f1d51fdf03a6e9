import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from './config';
import { CartService } from './constructs/cart-service';
import { CouponService } from './constructs/coupon-service';
import { MallApi } from './constructs/mall-api';
import { MallEvents } from './constructs/mall-events';
import { Observability } from './constructs/observability';
import { OrderService } from './constructs/order-service';
import { PaymentService } from './constructs/payment-service';
import { ProductService } from './constructs/product-service';
import { UserService } from './constructs/user-service';

export class MallStack extends Stack {
  readonly api: MallApi;

  constructor(scope: Construct, id: string, config: StageConfig, props?: StackProps) {
    super(scope, id, props);

    // Created at deploy time by Secrets Manager: the value never exists in code or template.
    const signingSecret = new secretsmanager.Secret(this, 'JwtSigningSecret', {
      description: 'HMAC key that signs the mall access tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the HMAC key would sign out every user at once; rotate by redeploying with a new secret when needed.',
    });

    this.api = new MallApi(this, 'Api', config);
    new UserService(this, 'Users', { api: this.api, config, signingSecret });
    const events = new MallEvents(this, 'Events', config);
    const products = new ProductService(this, 'Products', { api: this.api, config, events });
    const carts = new CartService(this, 'Carts', { api: this.api, config, catalogBatchGet: products.batchGet });
    const coupons = new CouponService(this, 'Coupons', { api: this.api, config });
    const payments = new PaymentService(this, 'Payments', config);
    const orders = new OrderService(this, 'Orders', {
      api: this.api,
      config,
      events,
      paymentCloseForOrder: payments.closeForOrder,
      catalogBatchGet: products.batchGet,
      couponQuote: coupons.quote,
      participants: {
        reserveStock: products.reserveStock,
        releaseStock: products.releaseStock,
        useCoupon: coupons.useCoupon,
        restoreCoupon: coupons.restoreCoupon,
        createPayment: payments.createPayment,
        closePayment: payments.closePayment,
        removeFromCart: carts.checkout,
      },
    });
    payments.addApi({ api: this.api, orderGet: orders.get, events });
    new Observability(this, 'Observability', { api: this.api, stateMachine: orders.saga.stateMachine, config });
  }
}
