import { describe, expect, it } from 'vitest';
import { OFF_SALE, ON_SALE } from '../../functions/product/schemas';
import { postingItems } from '../../functions/product/search-repository';
import { MAX_PRODUCT_TERMS, MAX_TERM_LENGTH, productTerms, tokenise } from '../../functions/product/search-terms';

describe('tokenise', () => {
  it('lower-cases and splits on anything but letters and digits', () => {
    expect(tokenise('Wi-Fi 6E Router, 2.4GHz!')).toEqual(['wi', 'fi', '6e', 'router', '2', '4ghz']);
    expect(tokenise('  ...  ')).toEqual([]);
  });

  it('folds full-width letters and digits (NFKC) and keeps accented letters whole', () => {
    expect(tokenise('ＡＢＣ１２３ Café Crème')).toEqual(['abc123', 'café', 'crème']);
  });

  it('cuts CJK text into one word per character, and splits it from Latin words next to it', () => {
    expect(tokenise('蓝牙耳机')).toEqual(['蓝', '牙', '耳', '机']);
    expect(tokenise('iPhone手机壳')).toEqual(['iphone', '手', '机', '壳']);
    expect(tokenise('ワイヤレス イヤホン')).toEqual(['ワ', 'イ', 'ヤ', 'レ', 'ス', 'ホ', 'ン']);
    expect(tokenise('무선 이어폰')).toEqual(['무', '선', '이', '어', '폰']);
  });

  it('drops repeated words and cuts long ones', () => {
    expect(tokenise('tea Tea TEA')).toEqual(['tea']);
    expect(tokenise('x'.repeat(100))).toEqual(['x'.repeat(MAX_TERM_LENGTH)]);
  });
});

describe('productTerms', () => {
  it("indexes the category's and the parent's words first, then the name's", () => {
    expect(productTerms('Green Tea', ['Tea & Coffee', 'Food'])).toEqual(['tea', 'coffee', 'food', 'green']);
  });

  it('indexes at most MAX_PRODUCT_TERMS words, always the category ones', () => {
    const name = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const terms = productTerms(name, ['Books']);
    expect(terms).toHaveLength(MAX_PRODUCT_TERMS);
    expect(terms[0]).toBe('books');
  });
});

describe('postingItems (the index writes that go with a product write)', () => {
  const product = { id: 7, createdAt: 1_700_000_000_000, status: ON_SALE, searchTerms: ['tea', 'green'] };
  const kinds = (items: ReturnType<typeof postingItems>) =>
    items.map((i) => (i.Put ? `put ${i.Put.Item!.pk}` : `delete ${i.Delete!.Key!.pk}`)).sort();

  it('posts every word of a new product on sale, each with the full word list', () => {
    const items = postingItems('t', undefined, product);
    expect(kinds(items)).toEqual(['put TERM#green', 'put TERM#tea']);
    expect(items[0]!.Put!.Item).toMatchObject({ pid: 7, terms: ['tea', 'green'], sk: '01700000000000007' });
  });

  it('moves the postings with a rename, and writes nothing when the words stay', () => {
    expect(kinds(postingItems('t', product, { ...product, searchTerms: ['tea', 'black'] }))).toEqual([
      'delete TERM#green',
      'put TERM#black',
      'put TERM#tea',
    ]);
    expect(postingItems('t', product, { ...product })).toEqual([]);
  });

  it('deletes every posting when the product goes off sale or is removed, and posts them again back on sale', () => {
    expect(kinds(postingItems('t', product, { ...product, status: OFF_SALE }))).toEqual(['delete TERM#green', 'delete TERM#tea']);
    expect(kinds(postingItems('t', product, { ...product, removedAt: 1 }))).toEqual(['delete TERM#green', 'delete TERM#tea']);
    expect(kinds(postingItems('t', { ...product, status: OFF_SALE }, product))).toEqual(['put TERM#green', 'put TERM#tea']);
  });
});
