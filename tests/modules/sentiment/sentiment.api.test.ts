import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InsightHost } from '../../../src/composition/insights.js';
import { createSentiment } from '../../../src/modules/sentiment/sentiment.insights.js';
import { createSentimentRefresher, type RefreshSentiment } from '../../../src/modules/sentiment/sentiment.refresh.js';
import { captureLog } from '../../support/log-capture.js';
import { sentimentTopic } from '../../../src/realtime/topics.js';
import { signUp } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { clearNews, insertArticles } from './articles.js';

const STOCKS = readFileSync(new URL('./fixtures/stocks.sql', import.meta.url), 'utf8');
const SUMMARY = 'symbol window score label articleCount trend';
const DAY = 24;

let t: TestApp;
let refreshSentiment: RefreshSentiment;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(STOCKS) });
  refreshSentiment = createSentimentRefresher({ sql: t.app.stockDb.sql, bus: t.app.bus });
});
afterAll(() => t?.close());
beforeEach(() => clearNews(t.stock.sql));

/** AAPL's news: two in the last day, one 3 days old, one 10 days old, one 40 days old. */
const appleNews = () =>
  insertArticles(t.stock.sql, [
    { symbols: ['AAPL'], score: 0.6, hoursAgo: 2 },
    { symbols: ['AAPL', 'MSFT'], score: 0.2, hoursAgo: 10 },
    { symbols: ['AAPL'], score: -0.4, hoursAgo: 3 * DAY },
    { symbols: ['AAPL'], score: -0.8, hoursAgo: 10 * DAY },
    { symbols: ['AAPL'], score: 0.9, hoursAgo: 40 * DAY },
  ]);

describe('Stock.sentiment', () => {
  it('averages the articles of each window, with the trend against the window of the same length before it', async () => {
    await appleNews();
    const data = await t.data(`{
      aapl: stock(symbol: "AAPL") {
        day: sentiment(window: ONE_DAY) { ${SUMMARY} }
        week: sentiment { ${SUMMARY} }
        month: sentiment(window: THIRTY_DAYS) { ${SUMMARY} }
      }
      msft: stock(symbol: "MSFT") { sentiment(window: ONE_DAY) { score articleCount trend } }
      nvda: stock(symbol: "NVDA") { sentiment(window: THIRTY_DAYS) { score } }
    }`);
    // Nothing between 24 and 48 hours ago: no trend for the day.
    expect(data.aapl.day).toEqual({ symbol: 'AAPL', window: 'ONE_DAY', score: 0.4, label: 'POSITIVE', articleCount: 2, trend: null });
    // (0.6 + 0.2 - 0.4) / 3, against the -0.8 of 7-14 days ago.
    expect(data.aapl.week).toEqual({ symbol: 'AAPL', window: 'SEVEN_DAYS', score: 0.13333, label: 'POSITIVE', articleCount: 3, trend: 0.93333 });
    // (0.6 + 0.2 - 0.4 - 0.8) / 4, against the 0.9 of 30-60 days ago.
    expect(data.aapl.month).toEqual({ symbol: 'AAPL', window: 'THIRTY_DAYS', score: -0.1, label: 'NEGATIVE', articleCount: 4, trend: -1 });
    expect(data.msft.sentiment).toEqual({ score: 0.2, articleCount: 1, trend: null });
    expect(data.nvda.sentiment).toBeNull();
  });

  it('costs the same number of statements for four stocks as for two', async () => {
    await appleNews();
    await insertArticles(t.stock.sql, [{ symbols: ['NVDA', 'AMZN'], score: -0.3, hoursAgo: 5 }]);
    const query = (first: number) => `{ stocks(first: ${first}) { edges { node { symbol sentiment { score articleCount } } } } }`;
    const two = await t.coldStatements(query(2));
    const four = await t.coldStatements(query(4));
    expect(four.data.stocks.edges.map((e: any) => [e.node.symbol, e.node.sentiment])).toEqual([
      ['AAPL', { score: 0.13333, articleCount: 3 }],
      ['AMZN', { score: -0.3, articleCount: 1 }],
      ['MSFT', { score: 0.2, articleCount: 1 }],
      ['NVDA', { score: -0.3, articleCount: 1 }],
    ]);
    expect(four.stock).toBe(two.stock);
  });

  it('refuses a window that does not exist before running anything', async () => {
    const error = await t.firstError(`{ stock(symbol: "AAPL") { sentiment(window: ONE_YEAR) { score } } }`);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('refreshSentiment', () => {
  const published: any[] = [];
  let unsubscribe: () => Promise<void>;
  beforeAll(async () => {
    unsubscribe = await t.app.bus.subscribe(sentimentTopic('AAPL'), (event) => void published.push(event));
  });
  afterAll(() => unsubscribe());
  // Events of the test before are delivered first (the in-process bus delivers on a later setImmediate).
  beforeEach(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    published.length = 0;
  });
  const storedRows = async () =>
    (await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sentiment WHERE symbol = 'AAPL' AND summary_window IS NOT NULL`))[0]!.n;

  it('stores and publishes each window once per change of its score, and nothing when unchanged', async () => {
    await appleNews();
    const first = await refreshSentiment(['AAPL', 'AAPL']);
    expect(first.map((e) => [e.window, e.score, e.previousScore, e.articleCount])).toEqual([
      ['ONE_DAY', 0.4, null, 2],
      ['SEVEN_DAYS', 0.13333, null, 3],
      ['THIRTY_DAYS', -0.1, null, 4],
    ]);
    expect(await storedRows()).toBe(3);
    await expect.poll(() => published.length).toBe(3);
    expect(published[0]).toEqual({ symbol: 'AAPL', window: 'ONE_DAY', score: 0.4, previousScore: null, label: 'POSITIVE', articleCount: 2, trend: null });

    expect(await refreshSentiment(['AAPL'])).toEqual([]);
    expect(await storedRows()).toBe(3);

    // 20 days old: only the 30-day window moves.
    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: 0.5, hoursAgo: 20 * DAY }]);
    const second = await refreshSentiment(['AAPL']);
    expect(second).toEqual([{ symbol: 'AAPL', window: 'THIRTY_DAYS', score: 0.02, previousScore: -0.1, label: 'NEUTRAL', articleCount: 5, trend: -0.88 }]);
    expect(await storedRows()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(published.map((e) => e.window)).toEqual(['ONE_DAY', 'SEVEN_DAYS', 'THIRTY_DAYS', 'THIRTY_DAYS']);
  });

  it('publishes a change once when two refreshes of it run at the same time', async () => {
    await appleNews();
    const [a, b] = await Promise.all([refreshSentiment(['AAPL']), refreshSentiment(['AAPL'])]);
    expect(a.length + b.length).toBe(3);
    expect(await storedRows()).toBe(3);
  });

  it('ignores symbols without articles and an empty list', async () => {
    expect(await refreshSentiment([])).toEqual([]);
    expect(await refreshSentiment(['NVDA'])).toEqual([]);
  });

  it('is what the hourly sentiment-refresh job runs for every symbol with an article in the last 30 days, which also drops old summaries', async () => {
    await appleNews();
    await insertArticles(t.stock.sql, [{ symbols: ['NVDA'], score: 0.3, hoursAgo: 50 * DAY }]);
    const job = t.app.jobs.find((j) => j.name === 'sentiment-refresh')!;
    // AAPL and MSFT (the article they share), three windows of AAPL and three of MSFT; NVDA's news is too old.
    expect(await job.run()).toEqual({ symbols: 2, published: 6, deleted: 0 });
    expect(await job.run()).toEqual({ symbols: 2, published: 0, deleted: 0 });
    // Stored summaries older than 90 days go; younger ones and per-article rows stay.
    await t.stock.sql.exec(`INSERT INTO sentiment (symbol, summary_window, score, label, article_count, source, ts) VALUES
      ('NVDA', 'ONE_DAY', 0.1, 'POSITIVE', 1, 'news', now() - interval '91 days'), ('NVDA', 'ONE_DAY', 0.2, 'POSITIVE', 1, 'news', now() - interval '89 days');
      INSERT INTO sentiment (symbol, score, label, source, ts) VALUES ('NVDA', 0.3, 'POSITIVE', 'lexicon', now() - interval '200 days')`);
    expect(await job.run()).toEqual({ symbols: 2, published: 0, deleted: 1 });
    expect((await t.stock.sql.query(`SELECT score::float8 AS score FROM sentiment WHERE symbol = 'NVDA' ORDER BY ts`))).toEqual([{ score: 0.3 }, { score: 0.2 }]);
  });

  it('is the onArticlesStored hook the composition hands the news ingestion, which logs a failure instead of rejecting', async () => {
    await appleNews();
    const log = captureLog('error');
    const { refreshSentiment: hook } = createSentiment({ stockDb: t.app.stockDb, bus: t.app.bus, logger: log.logger } as InsightHost);
    await hook(['AAPL']);
    expect(await storedRows()).toBe(3);
    await expect.poll(() => published.length).toBe(3);

    const gone = { stockDb: { sql: { transaction: () => Promise.reject(new Error('database gone')) } }, bus: t.app.bus, logger: log.logger };
    await expect(createSentiment(gone as unknown as InsightHost).refreshSentiment(['AAPL'])).resolves.toBeUndefined();
    expect(log.find((line) => line.msg.includes('sentiment refresh after news ingestion failed'))).toHaveLength(1);
  });

  it('feeds SENTIMENT_SWING alerts: a refresh that moves a window by the threshold fires one', async () => {
    const user = await signUp(t, 'swing');
    const created = await t.data(
      `mutation { createAlert(input: { symbol: "AAPL", condition: SENTIMENT_SWING, threshold: 0.4 }) { id } }`, {}, user.headers);
    expect(created.createAlert.id).toBeTruthy();
    await appleNews();
    await refreshSentiment(['AAPL']);
    // The day's mean goes from 0.4 to -0.03333; the week's and month's move by less than 0.4.
    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: -0.9, hoursAgo: 1 }]);
    await refreshSentiment(['AAPL']);
    const history = async () => (await t.data(`{ alertHistory { nodes { symbol condition value } } }`, {}, user.headers)).alertHistory.nodes;
    await expect.poll(history, { timeout: 5_000 }).toHaveLength(1);
    expect(await history()).toEqual([{ symbol: 'AAPL', condition: 'SENTIMENT_SWING', value: expect.closeTo(-0.43333, 5) }]);
  });
});

describe('sentimentUpdated', () => {
  it('sends the current summary of the window, then each change of it over graphql-ws', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    await appleNews();
    await refreshSentiment(['AAPL']);
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const got: any[] = [];
    const errors: unknown[] = [];
    client.subscribe(
      { query: `subscription { sentimentUpdated(symbol: "aapl", window: ONE_DAY) { ${SUMMARY} } }` },
      { next: (value) => void got.push(value.data?.sentimentUpdated ?? value.errors), error: (e) => void errors.push(e), complete: () => undefined },
    );
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(1);
    expect(got[0]).toEqual({ symbol: 'AAPL', window: 'ONE_DAY', score: 0.4, label: 'POSITIVE', articleCount: 2, trend: null });

    // A change of the 30-day window only, then one of the day.
    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: 0.5, hoursAgo: 20 * DAY }]);
    await refreshSentiment(['AAPL']);
    await insertArticles(t.stock.sql, [{ symbols: ['AAPL'], score: -0.9, hoursAgo: 1 }]);
    await refreshSentiment(['AAPL']);
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(2);
    expect(got[1]).toEqual({ symbol: 'AAPL', window: 'ONE_DAY', score: -0.03333, label: 'NEUTRAL', articleCount: 3, trend: null });
    expect(errors).toEqual([]);
    await client.dispose();
  });

  it('refuses an unknown symbol with BAD_USER_INPUT', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const client = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const outcome = await new Promise<any>((resolve) => {
      client.subscribe(
        { query: `subscription { sentimentUpdated(symbol: "NOPE") { score } }` },
        { next: (value) => resolve(value), error: (e) => resolve({ errors: e }), complete: () => undefined },
      );
    });
    await client.dispose();
    const errors = Array.isArray(outcome.errors) ? outcome.errors : [outcome.errors];
    expect(errors[0]).toMatchObject({ message: 'symbol: no stock has the symbol NOPE', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
