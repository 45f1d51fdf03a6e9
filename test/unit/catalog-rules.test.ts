import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeKey } from '../../functions/product/catalog-table';
import { planReservation } from '../../functions/product/inventory';
import {
  categoryListRequest,
  createProductRequest,
  isSafeLink,
  OFF_SALE,
  ON_SALE,
  recommendRequest,
  updateProductRequest,
} from '../../functions/product/schemas';
import { maxReservedShards, splitStock } from '../../functions/product/stock-repository';

describe('stock shards', () => {
  it('spreads stock as evenly as possible and loses nothing', () => {
    expect(splitStock(10, 3)).toEqual([4, 3, 3]);
    expect(splitStock(2, 4)).toEqual([1, 1, 0, 0]);
    expect(splitStock(0, 2)).toEqual([0, 0]);
    for (const [total, shards] of [
      [1, 1],
      [999, 16],
      [50, 7],
    ] as const) {
      const split = splitStock(total, shards);
      expect(split).toHaveLength(shards);
      expect(split.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...split) - Math.min(...split)).toBeLessThanOrEqual(1);
    }
  });
});

describe('time keys (recommend_time, comment_time cursors)', () => {
  it('order by time first and never tie for different ids of the same millisecond', () => {
    const ms = 1_795_000_000_123;
    expect(timeKey(ms, 7)).toBe(ms * 1000 + 7);
    expect(timeKey(ms + 1, 999)).toBeLessThan(timeKey(ms + 2, 0));
    const sameMs = Array.from({ length: 1000 }, (_, id) => timeKey(ms, id + 1));
    expect(new Set(sameMs).size).toBe(1000);
    expect(Number.isSafeInteger(timeKey(4_102_444_800_000, 123_456_789))).toBe(true); // year 2100
  });
});

describe('storefront paging input (lebron)', () => {
  it('falls back to ps=20 for missing, invalid or too large values instead of failing', () => {
    for (const ps of [undefined, '', 'abc', '0', '-5', '1.5', '51', '10000']) {
      expect(recommendRequest.parse(ps === undefined ? {} : { ps }).ps, String(ps)).toBe(20);
    }
    expect(recommendRequest.parse({ ps: '3' }).ps).toBe(3);
    expect(recommendRequest.parse({ ps: '50' }).ps).toBe(50);
  });

  it('refuses a cursor that is not a non-negative integer', () => {
    for (const cursor of ['-1', 'abc', '1.5']) expect(recommendRequest.safeParse({ cursor }).success, cursor).toBe(false);
    expect(recommendRequest.parse({}).cursor).toBe(0);
  });

  it('knows the sorts and defaults to newest', () => {
    expect(categoryListRequest.parse({ category: 'books' }).sort).toBe('newest');
    expect(categoryListRequest.safeParse({ category: 'books', sort: 'random' }).success).toBe(false);
  });
});

describe('product input', () => {
  it('keeps amounts integral and positive, and statuses to on/off sale', () => {
    const valid = { name: 'Tea', stock: 5, amount: 250, status: 1 };
    expect(createProductRequest.parse(valid)).toMatchObject({ desc: '', category: 'general', stock_shards: 1 });
    for (const change of [
      { amount: 0 },
      { amount: 2.5 },
      { status: 3 },
      { status: -1 },
      { stock: -1 },
      { stock_shards: 17 },
      { category: 'a/b' },
    ]) {
      expect(createProductRequest.safeParse({ ...valid, ...change }).success, JSON.stringify(change)).toBe(false);
    }
  });

  it("takes go-zero-mall's status 0 (its default) as on sale, and no status as on sale too", () => {
    const gozero = { name: '苹果', desc: '5块钱一个', stock: 100, amount: 5, status: 0 };
    expect(createProductRequest.parse(gozero).status).toBe(ON_SALE);
    expect(createProductRequest.parse({ ...gozero, status: undefined }).status).toBe(ON_SALE);
    expect(createProductRequest.parse({ ...gozero, status: OFF_SALE }).status).toBe(OFF_SALE);
    expect(updateProductRequest.parse({ id: 1, status: 0 }).status).toBe(ON_SALE);
    expect(updateProductRequest.parse({ id: 1 }).status).toBeUndefined();
  });
});

describe("a banner's link", () => {
  it('is empty, a same-site path or an https URL', () => {
    for (const link of ['', '/', '/category/shoes', '/p?id=1#top', 'https://shop.example.com/sale', 'HTTPS://shop.example.com'])
      expect(isSafeLink(link), link).toBe(true);
  });

  it('never leads off-site by a protocol-relative path, a backslash or another scheme', () => {
    for (const link of [
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '/x\\y',
      'http://evil.example',
      'https:evil.example',
      'https:///x',
      'javascript:alert(1)',
      'data:text/html,x',
      'shoes',
      ' //x'.trim(),
      '/a b',
    ])
      expect(isSafeLink(link), link).toBe(false);
  });
});

describe('a stock reservation', () => {
  const products = (count: number, shards: number[]) =>
    new Map(Array.from({ length: count }, (_, i): [number, number[]] => [i + 1, [...shards]]));
  const wants = (count: number, num: number) => new Map(Array.from({ length: count }, (_, i): [number, number] => [i + 1, num]));

  afterEach(() => vi.restoreAllMocks());

  it('fits one DynamoDB transaction (100 items, with the barrier) for an order of 20 lines over 16 shards', () => {
    // Stock left one per shard: 20 lines of 16 each would need 320 shard writes.
    expect(planReservation(wants(20, 16), products(20, new Array(16).fill(1)))).toBe('STOCK_TOO_SPREAD');
    expect(planReservation(wants(20, 17), products(20, new Array(16).fill(1)))).toBe('INSUFFICIENT_STOCK');
    // 16 products leave 83 shard writes (100 less the barrier and, for a release, their sales):
    // five shards each (80) fit, six (96) do not.
    expect(maxReservedShards(16)).toBe(83);
    const plan = planReservation(wants(16, 5), products(16, new Array(16).fill(1)));
    expect(Array.isArray(plan) && plan.length).toBe(80);
    expect(planReservation(wants(16, 6), products(16, new Array(16).fill(1)))).toBe('STOCK_TOO_SPREAD');
  });

  it('takes from the fullest shards when a random start would need too many writes', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // every product starts at shard 8
    const plan = planReservation(wants(20, 10), products(20, [10, ...new Array(15).fill(1)]));
    expect(plan).toEqual(Array.from({ length: 20 }, (_, i) => ({ pid: i + 1, shard: 0, num: 10 })));
  });

  it('still starts at a random shard when that fits', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const plan = planReservation(wants(20, 20), products(20, new Array(16).fill(10)));
    expect(plan).toHaveLength(40);
    expect((plan as Array<{ shard: number }>).slice(0, 2).map((r) => r.shard)).toEqual([8, 9]);
  });
});
