import { invokeFunction } from '../../shared/invoke';
import type { CatalogEntry } from '../product/schemas';

/** The cart's view of the catalogue: the product service's internal batch-get function. */
export interface Catalog {
  products(ids: number[]): Promise<CatalogEntry[]>;
}

export function catalogFunction(functionName: string): Catalog {
  return {
    products: async (ids) =>
      ids.length ? (await invokeFunction<{ products: CatalogEntry[] }>(functionName, { ids })).products : [],
  };
}
