import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { CategoryRepository } from './category-repository';
import { ContentRepository } from './content-repository';
import { ProductRepository } from './product-repository';
import type { Catalog } from './product-service';
import { SearchRepository } from './search-repository';
import { StockRepository } from './stock-repository';

const table = () => requireEnv('CATALOG_TABLE');

export function catalog(): Catalog {
  return {
    products: new ProductRepository(dynamo, table()),
    stock: new StockRepository(dynamo, table()),
    content: new ContentRepository(dynamo, table()),
    categories: new CategoryRepository(dynamo, table()),
    search: new SearchRepository(dynamo, table()),
  };
}

/** The saga's barrier, in the catalogue table. */
export const catalogBarrier = () => new Barrier(dynamo, table());
