import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateFundamentals } from '../../src/modules/stock/fundamentals.sql.js';
import { isFundamentalsSource, ProviderError } from '../../src/providers/market-data-provider.js';
import { YahooProvider } from '../../src/providers/yahoo-provider.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { json, QUOTE_ROUTE, startFakeYahoo, type FakeYahoo } from './yahoo-server.js';

// Rows as Yahoo's v7 quote endpoint sends them (floats; dividendYield in percent, trailingAnnualDividendYield a fraction).
const QUOTES = {
  quoteResponse: {
    result: [
      { symbol: 'AAPL', trailingPE: 36.28411865234375, epsTrailingTwelveMonths: 7.46, trailingAnnualDividendYield: 0.0038726, dividendYield: 0.39, beta: 1.109 },
      { symbol: 'BRK-B', trailingPE: 16.07, epsTrailingTwelveMonths: 31.1, beta: 0.8 },
      { symbol: 'MRNA', epsTrailingTwelveMonths: -8.05, dividendYield: null, beta: 1.62 },
      { symbol: 'O', trailingPE: 55.1, dividendYield: 5.66 },
      { symbol: 'NOTASKED', trailingPE: 1 },
    ],
    error: null,
  },
};

let yahoo: FakeYahoo;
let db: TestDatabase;
beforeAll(async () => {
  [yahoo, db] = await Promise.all([startFakeYahoo(), openTestDatabase('stock')]);
});
afterAll(async () => {
  await Promise.all([yahoo?.close(), db?.close()]);
});
beforeEach(() => {
  yahoo.routes.clear();
  yahoo.requests.length = 0;
});

const provider = () =>
  new YahooProvider({ baseUrl: yahoo.baseUrl, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2_000 }, sleep: async () => {} });

describe('YahooProvider.fundamentals', () => {
  it('reads P/E, EPS, dividend yield (as a fraction) and beta where the quote endpoint gives them', async () => {
    yahoo.routes.set(QUOTE_ROUTE, json(200, QUOTES));
    const source = provider();
    expect(isFundamentalsSource(source)).toBe(true);
    expect(await source.fundamentals(['AAPL', 'BRK.B', 'MRNA', 'O', 'AAPL'])).toEqual([
      { symbol: 'AAPL', peRatio: '36.2841', eps: '7.46', dividendYield: '0.003873', beta: '1.109' },
      { symbol: 'BRK.B', peRatio: '16.07', eps: '31.1', beta: '0.8' },
      { symbol: 'MRNA', eps: '-8.05', beta: '1.62' },
      { symbol: 'O', peRatio: '55.1', dividendYield: '0.0566' },
    ]);
    expect(yahoo.requests).toEqual(['/v7/finance/quote?symbols=AAPL%2CBRK-B%2CMRNA%2CO']);
  });

  it('asks for at most 50 symbols a request', async () => {
    yahoo.routes.set(QUOTE_ROUTE, json(200, { quoteResponse: { result: [], error: null } }));
    await provider().fundamentals(Array.from({ length: 120 }, (_, i) => `S${i}`));
    expect(yahoo.requests.map((r) => new URL(r, 'http://x').searchParams.get('symbols')!.split(',').length)).toEqual([50, 50, 20]);
  });

  it('reports an unexpected response as a ProviderError', async () => {
    yahoo.routes.set(QUOTE_ROUTE, json(200, { quoteResponse: { result: [{ symbol: 'AAPL', trailingPE: 'high' }] } }));
    const error = await provider().fundamentals(['AAPL']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toContain('yahoo: quote: unexpected response (quoteResponse.result.0.trailingPE');
  });
});

describe('updateFundamentals', () => {
  it('writes the reported figures in one statement, keeping those not reported and ignoring unknown symbols', async () => {
    await db.sql.exec(`
      INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "pe_ratio", "eps", "dividend_yield", "beta") VALUES
        ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ', 30, 6, 0.005, 1.0),
        ('O', 'Realty Income Corporation', 'Real Estate', 'REIT - Retail', 'NYSE', 50, 1, 0.05, 0.8)`);
    yahoo.routes.set(QUOTE_ROUTE, json(200, QUOTES));
    const reported = await provider().fundamentals(['AAPL', 'O', 'MRNA']);

    let statements = 0;
    const counting = { ...db.sql, query: (text: string, params?: unknown[]) => (statements++, db.sql.query(text, params)) };
    expect(await updateFundamentals(counting as typeof db.sql, reported)).toBe(2); // MRNA is not in this database
    expect(statements).toBe(1);

    const rows = await db.sql.query(
      `SELECT "symbol", "pe_ratio"::text AS pe, "eps"::text AS eps, "dividend_yield"::text AS yield, "beta"::text AS beta
       FROM "stock" ORDER BY "symbol"`,
    );
    expect(rows).toEqual([
      { symbol: 'AAPL', pe: '36.2841', eps: '7.4600', yield: '0.003873', beta: '1.1090' },
      // Yahoo gave O no EPS or beta: the stored ones stay.
      { symbol: 'O', pe: '55.1000', eps: '1.0000', yield: '0.056600', beta: '0.8000' },
    ]);
    expect(await updateFundamentals(db.sql, [])).toBe(0);
  });
});
