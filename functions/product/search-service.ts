import type { SearchRequest } from './category-schemas';
import { type Catalog, storefront } from './product-service';
import { ON_SALE } from './schemas';

/** Postings counted per word, at most, to find the rarest word of a query. */
const PROBE = 200;

/**
 * Products on sale whose name or category holds every word of the query, newest first.
 * One word: its postings, a page at a time. Several: the rarest word's postings (by a bounded
 * count of each word's postings), filtered on the server by the others. All words' postings are
 * sorted by the same key, so the cursor is valid whichever word drives the next page.
 */
export async function search(repo: Catalog, input: SearchRequest) {
  const terms = input.q;
  let driver = terms[0]!;
  if (terms.length > 1) {
    const counts = await repo.search.counts(terms, PROBE);
    driver = terms[counts.indexOf(Math.min(...counts))]!;
  }
  const page = await repo.search.find(
    driver,
    terms.filter((t) => t !== driver),
    input.cursor,
    input.ps,
  );
  // The postings move with the product in one transaction; this only guards a read that raced a write.
  const byId = new Map((await repo.products.getProducts(page.ids, true)).map((p) => [p.id, p]));
  const found = page.ids.flatMap((id) => {
    const p = byId.get(id);
    return p && p.status === ON_SALE && !p.removedAt ? [p] : [];
  });
  return { products: await storefront(repo, found, true), is_end: page.isEnd, last_val: page.last };
}
