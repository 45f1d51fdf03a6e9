import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { paymentSucceeded } from '../../shared/events';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import type { MallEvents } from './mall-events';
import { functionFactory, type ServiceFunction } from './service-function';

/**
 * The catalogue: products and their stock, storefront lists (recommend, category), comments,
 * home banners and the flash sale. One table; lists are served by sparse indexes, never scans.
 */
export class ProductService extends Construct {
  /** Internal batch read of products and stock, for other services to invoke. */
  readonly batchGet: ServiceFunction;
  /** The order saga's inventory steps (seed 004's Sell, and its compensation). */
  readonly reserveStock: ServiceFunction;
  readonly releaseStock: ServiceFunction;

  constructor(
    scope: Construct,
    id: string,
    { api, config, table, events }: { api: MallApi; config: StageConfig; table: dynamodb.ITable; events: MallEvents },
  ) {
    super(scope, id);

    const fn = functionFactory(this, 'product', config, { CATALOG_TABLE: table.tableName });
    const route = api.route.bind(api);

    const create = fn('api/create');
    create.grantTable(table, ['UpdateItem', 'PutItem']);
    route(create);

    for (const handler of ['api/update', 'api/remove']) {
      const f = fn(handler);
      f.grantTable(table, ['GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem']);
      route(f);
    }

    const detail = fn('api/detail');
    detail.grantTable(table, ['GetItem', 'BatchGetItem']);
    route(detail);

    const recommend = fn('api/recommend');
    recommend.grantTable(table, ['Query', 'BatchGetItem'], ['ByRecommend']);
    route(recommend);

    const categoryList = fn('api/category-list');
    categoryList.grantTable(table, ['Query', 'BatchGetItem'], ['ByNewest', 'ByPrice', 'BySales']);
    route(categoryList);

    const comments = fn('api/comments');
    comments.grantTable(table, ['GetItem', 'Query']);
    route(comments);

    const commentAdd = fn('api/comment-add');
    commentAdd.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    route(commentAdd);

    const banners = fn('api/banners');
    banners.grantTable(table, ['Query']);
    route(banners);

    const bannerSave = fn('api/banner-save');
    bannerSave.grantTable(table, ['UpdateItem', 'PutItem']);
    route(bannerSave);

    const bannerRemove = fn('api/banner-remove');
    bannerRemove.grantTable(table, ['DeleteItem']);
    route(bannerRemove);

    const flashSale = fn('api/flashsale');
    flashSale.grantTable(table, ['GetItem', 'BatchGetItem']);
    route(flashSale);

    const flashSaleSet = fn('api/flashsale-set');
    flashSaleSet.grantTable(table, ['BatchGetItem', 'PutItem']);
    route(flashSaleSet);

    const batchGet = fn('internal/batch-get');
    batchGet.grantTable(table, ['GetItem', 'BatchGetItem']); // GetItem: the flash sale
    this.batchGet = batchGet;

    const reserveStock = fn('saga/reserve-stock');
    reserveStock.grantTable(table, ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem']);
    this.reserveStock = reserveStock;

    const onPaymentSucceeded = fn('events/on-payment-succeeded');
    onPaymentSucceeded.grantTable(table, ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem']);
    events.subscribe(this, 'StockSold', paymentSucceeded, onPaymentSucceeded);

    const releaseStock = fn('saga/release-stock');
    releaseStock.grantTable(table, ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem', 'ConditionCheckItem']);
    this.releaseStock = releaseStock;
  }
}
