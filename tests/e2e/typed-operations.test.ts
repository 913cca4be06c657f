// The project's own client operations (operations/*.graphql), run through the
// typed documents `npm run codegen` generates: a schema change that breaks one
// of them fails `npm run typecheck` here, not only at run time.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StockCandlesDocument, StockListDocument, StockQuoteDocument, type StockListQuery } from '../../src/generated/operations/graphql.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

describe('typed client operations', () => {
  it('StockQuote returns the typed quote', async () => {
    const { data } = await t.operation(StockQuoteDocument, { symbol: 'AAPL' });
    const price: number | undefined = data?.stock?.quote?.price;
    expect(price).toBe(190.5);
  });

  it('StockCandles returns typed candles for an interval', async () => {
    const { data } = await t.operation(StockCandlesDocument, { symbol: 'AAPL', interval: 'DAY', last: 2 });
    expect(data?.stock?.candles.map((candle) => candle.close)).toEqual([188, 190.5]);
  });

  it('StockList pages through the connection with typed edges', async () => {
    const first = await t.operation(StockListDocument, { first: 2, filter: { sector: 'Technology' } });
    const page: StockListQuery['stocks'] | undefined = first.data?.stocks;
    expect(page?.edges.map((edge) => edge.node.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(page?.totalCount).toBe(2);
    expect(page?.pageInfo.hasNextPage).toBe(false);
  });
});
