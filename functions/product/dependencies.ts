import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { CatalogRepository } from './product-repository';

export function catalog(): CatalogRepository {
  return new CatalogRepository(dynamo, requireEnv('CATALOG_TABLE'));
}

/** The saga's barrier, in the catalogue table. */
export const catalogBarrier = () => new Barrier(dynamo, requireEnv('CATALOG_TABLE'));
