import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { CartService } from '../constructs/cart-service';
import { CouponService } from '../constructs/coupon-service';
import type { MallApi } from '../constructs/mall-api';
import { ProductService } from '../constructs/product-service';
import type { DataStack } from './data-stack';

/** What a shopper browses and collects before ordering: products and stock, carts, coupons. */
export class CatalogStack extends Stack {
  readonly products: ProductService;
  readonly carts: CartService;
  readonly coupons: CouponService;

  constructor(scope: Construct, id: string, config: StageConfig, { api, data }: { api: MallApi; data: DataStack }, props: StackProps) {
    super(scope, id, props);
    this.products = new ProductService(this, 'Products', { api, config, table: data.tables.products, events: data.events });
    this.carts = new CartService(this, 'Carts', { api, config, table: data.tables.carts, catalogBatchGet: this.products.batchGet });
    this.coupons = new CouponService(this, 'Coupons', { api, config, table: data.tables.coupons });
  }
}
