import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { functionFactory, type ServiceFunction } from './service-function';

/** Coupons (seed 003): issued by an admin to a user, used at most once, by an order's saga. */
export class CouponService extends Construct {
  readonly quote: ServiceFunction;
  readonly useCoupon: ServiceFunction;
  readonly restoreCoupon: ServiceFunction;

  constructor(scope: Construct, id: string, { api, config, table }: { api: MallApi; config: StageConfig; table: dynamodb.ITable }) {
    super(scope, id);
    const fn = functionFactory(this, 'coupon', config, { COUPON_TABLE: table.tableName });

    const issue = fn('api/issue');
    issue.grantTable(table, ['UpdateItem', 'PutItem']);
    api.route(issue);

    const list = fn('api/list');
    list.grantTable(table, ['Query']);
    api.route(list);

    const quote = fn('internal/quote');
    quote.grantTable(table, ['GetItem']);
    this.quote = quote;

    const useCoupon = fn('saga/use-coupon');
    useCoupon.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.useCoupon = useCoupon;

    const restoreCoupon = fn('saga/restore-coupon');
    restoreCoupon.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.restoreCoupon = restoreCoupon;
  }
}
