import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

// See the table at the top of the fixture for every value the expectations below are computed from.
const MARKET = readFileSync(new URL('./fixtures/screener-market.sql', import.meta.url), 'utf8');

const RUN = `query($input: ScreenerInput!) {
  runScreener(input: $input) { totalCount edges { cursor node { symbol } } pageInfo { hasNextPage endCursor } }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

async function run(input: Record<string, unknown>) {
  const { data, errors } = await t.graphql(RUN, { input });
  expect(errors).toBeUndefined();
  const connection = data!.runScreener;
  return { ...connection, symbols: connection.edges.map((e: any) => e.node.symbol) as string[] };
}

/** Every page of a screener, following endCursor; returns the pages' symbols. */
async function allPages(input: Record<string, unknown>): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await run({ ...input, after });
    pages.push(page.symbols);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
}

describe('filter catalogue and predefined screeners', () => {
  it('lists numeric and categorical filters by id', async () => {
    const { data, errors } = await t.graphql(`{
      numericFilters { id key label unit min max }
      categoricalFilters { id key label options } }`);
    expect(errors).toBeUndefined();
    expect(data!.numericFilters).toEqual([
      { id: '1', key: 'market_cap', label: 'Market cap', unit: 'USD', min: 0, max: 1e13 },
      { id: '2', key: 'pe_ratio', label: 'P/E ratio', unit: 'ratio', min: 0, max: 1000 },
      { id: '3', key: 'dividend_yield', label: 'Dividend yield', unit: 'fraction', min: 0, max: 0.25 },
      { id: '4', key: 'price', label: 'Price', unit: 'USD', min: 0, max: 100000 },
      { id: '5', key: 'volume', label: 'Volume', unit: 'shares', min: null, max: null },
    ]);
    expect(data!.categoricalFilters).toEqual([
      { id: '1', key: 'sector', label: 'Sector', options: ['Energy', 'Financials', 'Health Care', 'Technology', 'Utilities'] },
      { id: '2', key: 'exchange', label: 'Exchange', options: ['NASDAQ', 'NYSE'] },
    ]);
  });

  it('lists predefined screeners with their criteria resolved to filters, and their results', async () => {
    const { data, errors } = await t.graphql(`{ screeners {
      id key name description
      numeric { min max filter { id key } }
      categorical { values filter { key label } }
      results { totalCount edges { node { symbol } } } } }`);
    expect(errors).toBeUndefined();
    const symbols = (s: any) => s.results.edges.map((e: any) => e.node.symbol);
    const [mega, cheap, income] = data!.screeners;
    expect(data!.screeners.map((s: any) => s.key)).toEqual(['mega_caps', 'cheap_nasdaq', 'income']);
    expect(mega).toMatchObject({ id: '1', name: 'Mega caps', description: 'Worth at least $1 trillion.', categorical: [] });
    expect(mega.numeric).toEqual([{ min: 1e12, max: null, filter: { id: '1', key: 'market_cap' } }]);
    // market cap >= 1e12: AAA 3000e9, BBB 2000e9 (ZZZ blacklisted, OLD inactive).
    expect([symbols(mega), mega.results.totalCount]).toEqual([['AAA', 'BBB'], 2]);
    expect(cheap.numeric).toEqual([{ min: null, max: 100, filter: { id: '4', key: 'price' } }]);
    expect(cheap.categorical).toEqual([{ values: ['NASDAQ'], filter: { key: 'exchange', label: 'Exchange' } }]);
    // NASDAQ with latest close <= 100: BBB 80, GGG 95 (AAA's older 90 does not count; HHH has no candle).
    expect(symbols(cheap)).toEqual(['BBB', 'GGG']);
    // Energy or Utilities yielding >= 3%: CCC 0.035, FFF 0.040, by market cap.
    expect(symbols(income)).toEqual(['CCC', 'FFF']);
  });

  it('pages a predefined screener with its own sort and cursor', async () => {
    const first = await t.graphql(`{ screeners { key results(first: 1, sort: { field: SYMBOL, direction: DESC }) {
      edges { node { symbol } } pageInfo { hasNextPage endCursor } } } }`);
    const mega = first.data!.screeners[0].results;
    expect(mega.edges.map((e: any) => e.node.symbol)).toEqual(['BBB']);
    const next = await t.graphql(`query($after: String) { screeners { results(first: 1, after: $after, sort: { field: SYMBOL, direction: DESC }) {
      edges { node { symbol } } pageInfo { hasNextPage } } } }`, { after: mega.pageInfo.endCursor });
    expect(next.data!.screeners[0].results).toEqual({ edges: [{ node: { symbol: 'AAA' } }], pageInfo: { hasNextPage: false } });
  });
});

describe('runScreener', () => {
  it('with no criteria returns every listed stock by market cap, largest first, NULL last', async () => {
    const result = await run({});
    // ZZZ (blacklisted) and OLD (inactive) never appear; HHH has no market cap.
    expect(result.symbols).toEqual(['AAA', 'BBB', 'DDD', 'CCC', 'EEE', 'FFF', 'GGG', 'HHH']);
    expect(result.totalCount).toBe(8);
    expect(result.pageInfo.hasNextPage).toBe(false);
  });

  it('filters price on the latest daily candle only', async () => {
    // close <= 100 on the latest DAY candle: BBB 80, FFF 60, GGG 95. Not AAA (90 is its older close,
    // 999 its MINUTE candle), nor ZZZ (20, blacklisted), nor OLD (50, inactive).
    expect((await run({ numeric: [{ filterId: '4', max: 100 }] })).symbols).toEqual(['BBB', 'FFF', 'GGG']);
    // close >= 100: AAA 190 (GGG's older 120 does not count), CCC 110, DDD 450, EEE 150.
    expect((await run({ numeric: [{ filterId: '4', min: 100 }] })).symbols).toEqual(['AAA', 'DDD', 'CCC', 'EEE']);
  });

  it('combines numeric ranges and categorical values (all criteria must hold)', async () => {
    // (Technology or Energy) and market cap >= 100e9: AAA, BBB, CCC (GGG is 50e9, HHH has none).
    const result = await run({
      numeric: [{ filterId: '1', min: 100e9 }],
      categorical: [{ filterId: '1', values: ['Technology', 'Energy'] }],
    });
    expect([result.symbols, result.totalCount]).toEqual([['AAA', 'BBB', 'CCC'], 3]);
    // 12 <= P/E <= 15 on NYSE: CCC 12, EEE 15 (bounds inclusive; GGG is on NASDAQ).
    const value = await run({ numeric: [{ filterId: '2', min: 12, max: 15 }], categorical: [{ filterId: '2', values: ['NYSE'] }] });
    expect(value.symbols).toEqual(['CCC', 'EEE']);
    // latest volume >= 20M: AAA 60M, BBB 25M, GGG 30M (ZZZ's 100M is blacklisted).
    expect((await run({ numeric: [{ filterId: '5', min: 20e6 }] })).symbols).toEqual(['AAA', 'BBB', 'GGG']);
  });

  it.each([
    // 12 (CCC, GGG tie: by symbol), 15, 18, 30, then the NULLs by symbol.
    ['PE_RATIO', 'ASC', ['CCC', 'GGG', 'EEE', 'FFF', 'AAA', 'BBB', 'DDD', 'HHH']],
    // NULLs stay last when descending; the tie stays by symbol.
    ['PE_RATIO', 'DESC', ['AAA', 'FFF', 'EEE', 'CCC', 'GGG', 'BBB', 'DDD', 'HHH']],
    // latest volume 60M, 30M, 25M, 15M, 8M, 4M, 3M, none.
    ['VOLUME', 'DESC', ['AAA', 'GGG', 'BBB', 'CCC', 'EEE', 'DDD', 'FFF', 'HHH']],
    // latest close 60, 80, 95, 110, 150, 190, 450, none.
    ['PRICE', 'ASC', ['FFF', 'BBB', 'GGG', 'CCC', 'EEE', 'AAA', 'DDD', 'HHH']],
    // 0.005, 0.010, 0.030, 0.035, 0.040, then NULLs.
    ['DIVIDEND_YIELD', 'ASC', ['AAA', 'GGG', 'EEE', 'CCC', 'FFF', 'BBB', 'DDD', 'HHH']],
    ['MARKET_CAP', 'ASC', ['GGG', 'FFF', 'EEE', 'CCC', 'DDD', 'BBB', 'AAA', 'HHH']],
    ['SYMBOL', 'DESC', ['HHH', 'GGG', 'FFF', 'EEE', 'DDD', 'CCC', 'BBB', 'AAA']],
  ])('sorts by %s %s, and pages of 1, 2 and 3 add up to the same order', async (field, direction, expected) => {
    const sort = { field, direction };
    expect((await run({ sort })).symbols).toEqual(expected);
    for (const first of [1, 2, 3]) {
      const pages = await allPages({ sort, first });
      expect(pages.flat()).toEqual(expected);
      expect(pages.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(8 / first) }, (_, i) => Math.min(first, 8 - i * first)));
    }
  });

  it('pages from the sort values into the NULLs and on through them', async () => {
    const sort = { field: 'PE_RATIO', direction: 'ASC' };
    // Page 3 straddles the boundary (AAA 30, then BBB NULL); page 4 starts from a NULL cursor.
    expect(await allPages({ sort, first: 2 })).toEqual([['CCC', 'GGG'], ['EEE', 'FFF'], ['AAA', 'BBB'], ['DDD', 'HHH']]);
    const page = await run({ sort, first: 2 });
    expect(page.totalCount).toBe(8);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('serves nested stock fields batched for the whole page', async () => {
    const NESTED = `query($first: Int) { runScreener(input: { numeric: [{ filterId: 4, max: 100 }], first: $first }) {
      edges { node { symbol quote { price } candles(last: 1) { close } } } } }`;
    const statementsFor = async (first: number) => {
      t.app.stockDb.queries.reset();
      const { data, errors } = await t.graphql(NESTED, { first });
      expect(errors).toBeUndefined();
      return { edges: data!.runScreener.edges, statements: [...t.app.stockDb.queries.statements] };
    };
    const one = await statementsFor(1);
    const three = await statementsFor(3);
    expect(three.edges.map((e: any) => [e.node.symbol, e.node.quote.price, e.node.candles[0].close])).toEqual([
      ['BBB', 80, 80],
      ['FFF', 60, 60],
      ['GGG', 95, 95],
    ]);
    expect(three.statements.length).toBe(one.statements.length);
    // The page primes the stock loader: no statement looks the stocks up again.
    expect(three.statements.filter((sql) => /FROM "public"\."stock"/.test(sql))).toEqual([]);
  });

  it('runs the count only when totalCount is asked for', async () => {
    t.app.stockDb.queries.reset();
    await run({ sort: { field: 'SYMBOL', direction: 'ASC' } });
    const withCount = t.app.stockDb.queries.count;
    t.app.stockDb.queries.reset();
    await t.graphql(`{ runScreener(input: {}) { edges { node { symbol } } } }`);
    expect([withCount, t.app.stockDb.queries.count]).toEqual([2, 1]);
  });

  it.each([
    ['an unknown numeric filter', { numeric: [{ filterId: '999', min: 1 }] }, 'numeric[0].filterId: no numeric filter 999'],
    ['a filter id that is not a number', { numeric: [{ filterId: '1', min: 1 }, { filterId: 'x', min: 1 }] }, 'numeric[1].filterId: no numeric filter x'],
    ['an unknown categorical filter', { categorical: [{ filterId: '3', values: ['NYSE'] }] }, 'categorical[0].filterId: no categorical filter 3'],
    ['min above max', { numeric: [{ filterId: '2', min: 20, max: 10 }] }, 'numeric[0].min: min must not be greater than max'],
    ['a category value not among the options', { categorical: [{ filterId: '2', values: ['NYSE', 'LSE'] }] }, 'categorical[0].values[1]: "LSE" is not an option of Exchange (options: NASDAQ, NYSE)'],
    ['a negative page size', { first: -1 }, 'first: must be between 1 and 100'],
    ['a page size over 100', { first: 101 }, 'first: must be between 1 and 100'],
    ['21 criteria', { numeric: Array.from({ length: 21 }, () => ({ filterId: '1', min: 1 })) }, 'numeric: at most 20 criteria in all (numeric + categorical); got 21'],
    ['a cursor of another connection', { after: Buffer.from('stock:AAA').toString('base64url') }, 'after: not a cursor of this connection'],
  ])('rejects %s as BAD_USER_INPUT naming the field', async (_, input, message) => {
    const { status, data, errors } = await t.graphql(RUN, { input });
    expect(status).toBe(200);
    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field: message.split(':')[0] } });
  });

  it('rejects a cursor made under another sort order', async () => {
    const page = await run({ first: 1, sort: { field: 'PRICE', direction: 'ASC' } });
    const { errors } = await t.graphql(RUN, { input: { after: page.pageInfo.endCursor, sort: { field: 'PRICE', direction: 'DESC' } } });
    expect(errors![0]).toMatchObject({ message: 'after: this cursor was made for a different sort order', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('fails safely when a catalogue row names a column outside the whitelist', async () => {
    await t.stock.sql.query(`INSERT INTO numeric_filter (id, key, label, column_name, unit) VALUES (99, 'evil', 'Evil', 'name', 'x')`);
    try {
      const { data, errors } = await t.graphql(RUN, { input: { numeric: [{ filterId: '99', min: 1 }] } });
      expect(data).toBeNull();
      expect(errors![0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    } finally {
      await t.stock.sql.query('DELETE FROM numeric_filter WHERE id = 99');
    }
  });
});
