import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { paymentSucceeded } from '../../shared/events';
import type { MallApi } from './mall-api';
import type { MallEvents } from './mall-events';
import { functionFactory, serviceTable } from './service-function';

/**
 * The catalogue: products and their stock, storefront lists (recommend, category), comments,
 * home banners and the flash sale. One table; lists are served by sparse indexes, never scans.
 */
export class ProductService extends Construct {
  readonly table: dynamodb.Table;
  /** Internal batch read of products and stock, for other services to invoke. */
  readonly batchGet: lambda.IFunction;
  /** The order saga's inventory steps (seed 004's Sell, and its compensation). */
  readonly reserveStock: lambda.IFunction;
  readonly releaseStock: lambda.IFunction;

  constructor(scope: Construct, id: string, { api, config, events }: { api: MallApi; config: StageConfig; events: MallEvents }) {
    super(scope, id);

    const number = dynamodb.AttributeType.NUMBER;
    const string = dynamodb.AttributeType.STRING;
    // Contributor insights show the most accessed and throttled keys: how a hot flash-sale product is measured.
    this.table = serviceTable(this, config, { contributorInsights: true });
    const table = this.table;
    for (const [indexName, partition, sort] of [
      ['ByRecommend', 'recPk', 'recKey'],
      ['ByNewest', 'catPk', 'newKey'],
      ['ByPrice', 'catPk', 'priceKey'],
      ['BySales', 'catPk', 'salesKey'],
    ] as const) {
      table.addGlobalSecondaryIndex({ indexName, partitionKey: { name: partition, type: string }, sortKey: { name: sort, type: number } });
    }

    const fn = functionFactory(this, 'product', config, { CATALOG_TABLE: table.tableName });
    const route = api.route.bind(api);

    const create = fn('create');
    create.grantTable(table, ['UpdateItem', 'PutItem']);
    route('POST', '/api/product/create', create);

    for (const [handler, path] of [['update', '/api/product/update'], ['remove', '/api/product/remove']] as const) {
      const f = fn(handler);
      f.grantTable(table, ['GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem']);
      route('POST', path, f);
    }

    const detail = fn('detail');
    detail.grantTable(table, ['GetItem', 'BatchGetItem']);
    route('POST', '/api/product/detail', detail);

    const recommend = fn('recommend');
    recommend.grantTable(table, ['Query', 'BatchGetItem'], ['ByRecommend']);
    route('GET', '/api/home/recommend', recommend);

    const categoryList = fn('category-list');
    categoryList.grantTable(table, ['Query', 'BatchGetItem'], ['ByNewest', 'ByPrice', 'BySales']);
    route('GET', '/api/category/list', categoryList);

    const comments = fn('comments');
    comments.grantTable(table, ['GetItem', 'Query']);
    route('GET', '/api/product/comment/list', comments);

    const commentAdd = fn('comment-add');
    commentAdd.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    route('POST', '/api/product/comment/add', commentAdd);

    const banners = fn('banners');
    banners.grantTable(table, ['Query']);
    route('GET', '/api/home/banners', banners);

    const bannerSave = fn('banner-save');
    bannerSave.grantTable(table, ['UpdateItem', 'PutItem']);
    route('POST', '/api/home/banner/save', bannerSave);

    const bannerRemove = fn('banner-remove');
    bannerRemove.grantTable(table, ['DeleteItem']);
    route('POST', '/api/home/banner/remove', bannerRemove);

    const flashSale = fn('flashsale');
    flashSale.grantTable(table, ['GetItem', 'BatchGetItem']);
    route('GET', '/api/home/flashsale', flashSale);

    const flashSaleSet = fn('flashsale-set');
    flashSaleSet.grantTable(table, ['BatchGetItem', 'PutItem']);
    route('POST', '/api/home/flashsale/set', flashSaleSet);

    const batchGet = fn('batch-get');
    batchGet.grantTable(table, ['BatchGetItem']);
    this.batchGet = batchGet;

    const reserveStock = fn('reserve-stock');
    reserveStock.grantTable(table, ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem']);
    this.reserveStock = reserveStock;

    const confirmStock = fn('confirm-stock');
    confirmStock.grantTable(table, ['GetItem', 'PutItem', 'UpdateItem']);
    events.subscribe('StockSold', paymentSucceeded, confirmStock);

    const releaseStock = fn('release-stock');
    releaseStock.grantTable(table, ['GetItem', 'UpdateItem', 'PutItem']);
    this.releaseStock = releaseStock;
  }
}

