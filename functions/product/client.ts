import { invokeFunction } from '../../shared/invoke';
import type { CatalogEntry } from './schemas';

/** How other services (cart, orders) read the catalogue: its internal batch-get function. */
export interface Catalog {
  products(ids: number[]): Promise<CatalogEntry[]>;
}

export function catalogFunction(functionName: string): Catalog {
  return {
    products: async (ids) => (ids.length ? (await invokeFunction<{ products: CatalogEntry[] }>(functionName, { ids })).products : []),
  };
}
