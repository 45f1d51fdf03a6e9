import { dynamo } from '../../shared/aws';
import { requireEnv } from '../../shared/env';
import { CatalogRepository } from './product-repository';

export function catalog(): CatalogRepository {
  return new CatalogRepository(dynamo, requireEnv('CATALOG_TABLE'));
}
