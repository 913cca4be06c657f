import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { json, QUOTE_ROUTE, startFakeYahoo, type FakeYahoo } from '../providers/yahoo-server.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');

let yahoo: FakeYahoo;
let t: TestApp;
beforeAll(async () => {
  yahoo = await startFakeYahoo();
  t = await startTestApp({
    prepareStock: (db) => db.sql.exec(MARKET),
    env: { MARKET_DATA_PROVIDER: 'yahoo', YAHOO_BASE_URL: yahoo.baseUrl },
  });
});
afterAll(async () => {
  await t?.close();
  await yahoo?.close();
});

describe('the fundamentals job', () => {
  it("stores what Yahoo's quote endpoint reports for the active stocks, and serves it on Stock", async () => {
    yahoo.routes.set(
      QUOTE_ROUTE,
      json(200, { quoteResponse: { result: [{ symbol: 'AAPL', trailingPE: 31.5, epsTrailingTwelveMonths: 6.05, trailingAnnualDividendYield: 0.0052, beta: 1.21 }] } }),
    );
    // Read first, so the row sits in the process's row cache: the job's announcement must drop it.
    expect((await t.graphql(`{ stock(symbol: "AAPL") { peRatio } }`)).errors).toBeUndefined();
    const job = t.app.jobs.find((j) => j.name === 'fundamentals')!;
    expect(await t.app.scheduler.tick(job)).toBe('ran');
    expect(yahoo.requests.filter((r) => r.startsWith('/v7/finance/quote'))).toHaveLength(1);
    const { data, errors } = await t.graphql(`{ stock(symbol: "AAPL") { peRatio eps dividendYield beta } }`);
    expect(errors).toBeUndefined();
    expect(data!.stock).toEqual({ peRatio: 31.5, eps: 6.05, dividendYield: 0.0052, beta: 1.21 });
  });
});
