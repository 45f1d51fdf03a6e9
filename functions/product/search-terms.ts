/**
 * Words for the search index (search-repository.ts): the same function cuts a product's name and
 * category names when the product is written, and the shopper's query when it is searched.
 *
 * - NFKC first (full-width letters and digits become ASCII ones), then lower case.
 * - Words are runs of letters and digits (Unicode \p{L}, \p{N}, with combining marks); anything
 *   else separates them: "Wi-Fi 6E router" -> wi, fi, 6e, router.
 * - CJK text has no spaces, so every Han, kana or Hangul character is a word of its own:
 *   "蓝牙耳机" -> 蓝, 牙, 耳, 机, and a query "耳机" asks for both characters (AND). Coarser than a
 *   real segmenter (it also finds 机耳), but it never misses a product whose name holds the words.
 * - A word is cut at MAX_TERM_LENGTH characters; duplicates are dropped, first occurrence kept.
 */
export const MAX_TERM_LENGTH = 32;
/** A product is indexed under at most this many words, so its writes stay within one transaction. */
export const MAX_PRODUCT_TERMS = 24;
/** A query uses at most this many words; more are ignored. */
export const MAX_QUERY_TERMS = 5;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function tokenise(text: string): string[] {
  const words: string[] = [];
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    let latin = '';
    for (const ch of run) {
      if (CJK.test(ch)) {
        if (latin) words.push(latin);
        latin = '';
        words.push(ch);
      } else latin += ch;
    }
    if (latin) words.push(latin);
  }
  return [...new Set(words.map((w) => [...w].slice(0, MAX_TERM_LENGTH).join('')))];
}

/**
 * The words a product is found by: its category's and the category's parent's (at most 8), then
 * its name's, up to MAX_PRODUCT_TERMS in all (a name's words past that are not indexed).
 */
export function productTerms(name: string, categoryNames: string[]): string[] {
  const category = [...new Set(categoryNames.flatMap(tokenise))].slice(0, 8);
  return [...new Set([...category, ...tokenise(name)])].slice(0, MAX_PRODUCT_TERMS);
}
