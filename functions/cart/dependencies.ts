import { dynamo } from '../../shared/aws';
import { Barrier } from '../../shared/barrier';
import { requireEnv } from '../../shared/env';
import { type Catalog, catalogFunction } from '../product/client';
import { CartRepository } from './cart-repository';

export function cartRepository(): CartRepository {
  return new CartRepository(dynamo, requireEnv('CART_TABLE'));
}

export function cartBarrier(): Barrier {
  return new Barrier(dynamo, requireEnv('CART_TABLE'));
}

export function catalog(): Catalog {
  return catalogFunction(requireEnv('CATALOG_BATCH_GET_FUNCTION'));
}
