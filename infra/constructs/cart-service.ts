import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { MallApi } from './mall-api';
import { functionFactory, type ServiceFunction } from './service-function';

export interface CartServiceProps {
  api: MallApi;
  config: StageConfig;
  table: dynamodb.ITable;
  /** The catalogue's internal batch read: the cart asks it for current prices and stock. */
  catalogBatchGet: ServiceFunction;
}

/** Each user's cart (lebron): at most 200 products, read back with current prices and stock. */
export class CartService extends Construct {
  /** The order saga's step that takes ordered products out of the cart. */
  readonly removeFromCart: ServiceFunction;

  constructor(scope: Construct, id: string, { api, config, table, catalogBatchGet }: CartServiceProps) {
    super(scope, id);
    const fn = functionFactory(this, 'cart', config, { CART_TABLE: table.tableName });
    const withCatalog = { environment: { CATALOG_BATCH_GET_FUNCTION: catalogBatchGet.literalName } };

    const list = fn('api/list', withCatalog);
    list.grantTable(table, ['Query']);
    list.grantInvokeOf(catalogBatchGet);
    api.route(list);

    const add = fn('api/add', withCatalog);
    add.grantTable(table, ['UpdateItem', 'PutItem']);
    add.grantInvokeOf(catalogBatchGet);
    api.route(add);

    const update = fn('api/update');
    update.grantTable(table, ['UpdateItem']);
    api.route(update);

    const remove = fn('api/remove');
    remove.grantTable(table, ['DeleteItem', 'UpdateItem']);
    api.route(remove);

    const removeFromCart = fn('saga/remove-from-cart');
    removeFromCart.grantTable(table, ['Query', 'GetItem', 'PutItem', 'DeleteItem', 'UpdateItem']);
    this.removeFromCart = removeFromCart;
  }
}
