import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

describe('stock(symbol)', () => {
  it('returns a stock with its latest quote computed from the last two daily candles', async () => {
    const { status, data, errors } = await t.graphql(`{
      stock(symbol: "aapl ") { symbol name sector industry exchange currency marketCap isBlacklisted
        quote { symbol price previousClose change changePercent volume timestamp } } }`);
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data!.stock).toEqual({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      sector: 'Technology',
      industry: 'Consumer Electronics',
      exchange: 'NASDAQ',
      currency: 'USD',
      marketCap: 3.4e12,
      isBlacklisted: false,
      // 190.50 - 188.00 = 2.50; 2.50 / 188.00 = 1.32978...%. Observed at that session's 16:00 EST close, not at the candle's midnight stamp.
      quote: { symbol: 'AAPL', price: 190.5, previousClose: 188, change: 2.5, changePercent: 1.3298, volume: 61000000, timestamp: '2025-03-05T21:00:00.000Z' },
    });
  });

  it('accepts symbols with a dot and reports blacklisted stocks', async () => {
    const { data } = await t.graphql(`{ a: stock(symbol: "BRK.B") { symbol quote { price } } b: stock(symbol: "ZZZZ") { isBlacklisted } }`);
    expect(data).toEqual({ a: { symbol: 'BRK.B', quote: null }, b: { isBlacklisted: true } });
  });

  it('returns null for a well-formed symbol that is not listed', async () => {
    const { status, data, errors } = await t.graphql(`{ stock(symbol: "NOPE") { symbol } }`);
    expect([status, data, errors]).toEqual([200, { stock: null }, undefined]);
  });

  it.each(['', 'TOO-LONG-SYMBOL', 'AA PL', "A'; DROP TABLE stock;--"])('rejects the malformed symbol %j as BAD_USER_INPUT', async (symbol) => {
    const { data, errors } = await t.graphql(`query($s: String!) { stock(symbol: $s) { symbol } }`, { s: symbol });
    expect(data).toEqual({ stock: null });
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toMatch(/1-10 letters/);
    expect(errors![0]!.extensions!.stacktrace).toBeUndefined();
  });
});

describe('Stock.candles', () => {
  it('returns daily candles oldest first, exactly as stored', async () => {
    const { data } = await t.graphql(`{ stock(symbol: "AAPL") { candles { timestamp open high low close adjClose volume } } }`);
    expect(data!.stock.candles).toEqual([
      { timestamp: '2025-03-03T00:00:00.000Z', open: 186, high: 189, low: 185.5, close: 187.25, adjClose: 187.25, volume: 50000000 },
      { timestamp: '2025-03-04T00:00:00.000Z', open: 187.5, high: 188.9, low: 186.1, close: 188, adjClose: 188, volume: 48000000 },
      { timestamp: '2025-03-05T00:00:00.000Z', open: 188.2, high: 191, low: 187.9, close: 190.5, adjClose: 190.5, volume: 61000000 },
    ]);
  });

  it('takes the latest `last` candles within [from, to] of the asked interval', async () => {
    const { data } = await t.graphql(`{ stock(symbol: "AAPL") {
      last2: candles(last: 2) { timestamp }
      ranged: candles(from: "2025-03-03T00:00:00Z", to: "2025-03-04T00:00:00Z") { timestamp }
      minute: candles(interval: MINUTE) { timestamp close adjClose } } }`);
    expect(data!.stock.last2.map((c: any) => c.timestamp)).toEqual(['2025-03-04T00:00:00.000Z', '2025-03-05T00:00:00.000Z']);
    expect(data!.stock.ranged.map((c: any) => c.timestamp)).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z']);
    expect(data!.stock.minute).toEqual([{ timestamp: '2025-03-05T14:30:00.000Z', close: 188.3, adjClose: null }]);
  });

  it.each([
    ['from after to', 'candles(from: "2025-03-05T00:00:00Z", to: "2025-03-01T00:00:00Z")', /"from" must not be after "to"/],
    ['a negative last', 'candles(last: -1)', /between 1 and 1000/],
    ['a huge last', 'candles(last: 100000)', /between 1 and 1000/],
  ])('rejects %s as BAD_USER_INPUT', async (_, field, message) => {
    const { errors } = await t.graphql(`{ stock(symbol: "AAPL") { ${field} { close } } }`);
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toMatch(message);
  });
});

describe('stocks connection', () => {
  it('pages through active stocks by symbol with cursors and a total count', async () => {
    const page1 = await t.graphql(`{ stocks(first: 2) { totalCount edges { cursor node { symbol } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
    const connection = page1.data!.stocks;
    expect(connection.totalCount).toBe(5);
    expect(connection.edges.map((e: any) => e.node.symbol)).toEqual(['AAPL', 'BRK.B']);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: connection.edges[1].cursor });

    const page2 = await t.graphql(`query($after: String) { stocks(first: 10, after: $after) { edges { node { symbol } } pageInfo { hasNextPage } } }`, {
      after: connection.pageInfo.endCursor,
    });
    expect(page2.data!.stocks.edges.map((e: any) => e.node.symbol)).toEqual(['MSFT', 'XOM', 'ZZZZ']);
    expect(page2.data!.stocks.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by sector, exchange, market-cap range and text', async () => {
    const symbols = async (filter: string) =>
      (await t.graphql(`{ stocks(filter: ${filter}) { totalCount edges { node { symbol } } } }`)).data!.stocks.edges.map((e: any) => e.node.symbol);
    expect(await symbols('{ sector: "Technology" }')).toEqual(['AAPL', 'MSFT']);
    expect(await symbols('{ exchange: "NYSE", marketCapMin: 400000000000 }')).toEqual(['BRK.B', 'XOM']);
    expect(await symbols('{ marketCapMax: 1000000000000 }')).toEqual(['BRK.B', 'XOM', 'ZZZZ']);
    expect(await symbols('{ search: "micro" }')).toEqual(['MSFT']);
    expect(await symbols('{ search: "x" }')).toEqual(['XOM', 'ZZZZ']);
  });

  it.each([
    ['first: 0', /first: must be between 1 and 100/],
    ['first: -5', /first: must be between 1 and 100/],
    ['first: 101', /first: must be between 1 and 100/],
    ['after: "bm90LWEtY3Vyc29y"', /after: not a cursor/],
    ['filter: { marketCapMin: 10, marketCapMax: 5 }', /marketCapMin must not be greater than marketCapMax/],
    ['filter: { marketCapMin: -1 }', /must not be negative/],
  ])('rejects %s as BAD_USER_INPUT', async (args, message) => {
    const { status, data, errors } = await t.graphql(`{ stocks(${args}) { totalCount } }`);
    expect(status).toBe(200);
    expect(data).toBeNull();
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toMatch(message);
  });
});

describe('malformed requests', () => {
  it('answers a syntax error with 400 and GRAPHQL_PARSE_FAILED', async () => {
    const { status, errors } = await t.graphql(`{ stock(symbol: "AAPL") { symbol `);
    expect(status).toBe(400);
    expect(errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with 400 and GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, errors } = await t.graphql(`{ stock(symbol: "AAPL") { price } }`);
    expect(status).toBe(400);
    expect(errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors![0]!.message).toMatch(/Cannot query field "price" on type "Stock"/);
  });

  it('answers a variable of the wrong type with 400 and BAD_USER_INPUT', async () => {
    const { status, errors } = await t.graphql(`query($n: Int) { stocks(first: $n) { totalCount } }`, { n: 'ten' });
    expect(status).toBe(400);
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('answers a date that is not ISO-8601 with BAD_USER_INPUT', async () => {
    const { status, errors } = await t.graphql(`query($d: DateOrDateTime) { stock(symbol: "AAPL") { candles(from: $d) { close } } }`, { d: 'yesterday' });
    expect(status).toBe(400);
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } }] });
  });
});
