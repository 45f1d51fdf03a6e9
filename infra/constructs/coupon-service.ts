import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { functionFactory, serviceTable } from './service-function';

/** Coupons (seed 003): issued by an admin to a user, used at most once, by an order's saga. */
export class CouponService extends Construct {
  readonly quote: lambda.IFunction;
  readonly useCoupon: lambda.IFunction;
  readonly restoreCoupon: lambda.IFunction;

  constructor(scope: Construct, id: string, { api, config }: { api: MallApi; config: StageConfig }) {
    super(scope, id);
    const table = serviceTable(this, config);
    const fn = functionFactory(this, 'coupon', config, { COUPON_TABLE: table.tableName });

    const issue = fn('issue');
    issue.grantTable(table, ['UpdateItem', 'PutItem']);
    api.route('POST', '/api/coupon/issue', issue);

    const list = fn('list');
    list.grantTable(table, ['Query']);
    api.route('GET', '/api/coupon/list', list);

    const quote = fn('quote');
    quote.grantTable(table, ['GetItem']);
    this.quote = quote;

    const useCoupon = fn('use-coupon');
    useCoupon.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.useCoupon = useCoupon;

    const restoreCoupon = fn('restore-coupon');
    restoreCoupon.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.restoreCoupon = restoreCoupon;
  }
}
