import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSentimentRefresher } from '../../../src/modules/sentiment/sentiment.refresh.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { insertArticles } from './articles.js';

const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');
const QUERY = `{ stock(symbol: "AAPL") { symbol sentiment(window: ONE_DAY) { score articleCount } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS), env: { RESPONSE_CACHE: 'on' } });
});
afterAll(() => t?.close());

async function post(): Promise<{ cache: string | null; sentiment: unknown }> {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  const body = (await response.json()) as { data: { stock: { sentiment: unknown } } };
  return { cache: response.headers.get('x-response-cache'), sentiment: body.data.stock.sentiment };
}

describe('Stock.sentiment in the response cache', () => {
  it('is served from the cache until a sentiment update of the symbol drops it', async () => {
    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: 0.6, hoursAgo: 2 }]);
    const refresh = createSentimentRefresher({ sql: t.app.stockDb.sql, bus: t.app.bus });
    await refresh(['AAPL']);
    // A process trusts a symbol's events only once its subscription is live: the first answers may not be kept.
    await expect.poll(post, { timeout: 5_000 }).toEqual({ cache: 'HIT', sentiment: { score: 0.6, articleCount: 1 } });

    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: -0.2, hoursAgo: 1 }]);
    expect(await post()).toEqual({ cache: 'HIT', sentiment: { score: 0.6, articleCount: 1 } });
    await refresh(['AAPL']);
    await expect.poll(async () => (await post()).sentiment, { timeout: 5_000 }).toEqual({ score: 0.2, articleCount: 2 });
  });
});
