import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPgExecutor } from '../../../src/db/sql-executor.js';
import { NEWS_WRITE_LOCK_KEY } from '../../../src/modules/news/news-ingest.sql.js';
import { OfflineNewsProvider } from '../../../src/providers/news/offline-provider.js';
import { offlineHeadlines } from '../../../src/providers/news/offline-headlines.js';
import type { RawArticle } from '../../../src/providers/news/index.js';
import { SEED_STOCKS } from '../../../src/db/seed/stocks.data.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { fixedProvider, ingestService, insertSeedStocks, storedArticles } from './news-db.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const article = (title: string, url: string, publishedAt = hoursAgo(1), extra: Partial<RawArticle> = {}): RawArticle => ({
  title,
  url,
  source: 'Test Wire',
  summary: null,
  publishedAt,
  ...extra,
});

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await insertSeedStocks(db.sql);
});
afterAll(() => db?.close());
beforeEach(() => db.sql.exec('DELETE FROM news_article'));

describe('news ingestion', () => {
  it('stores the bundled offline set: a few hundred dated headlines, each linked to the company it is about', async () => {
    const result = await ingestService(db.sql, new OfflineNewsProvider(() => NOW), { now: () => NOW }).ingest();
    const stored = await storedArticles(db.sql);
    expect(result.stored).toBe(stored.length);
    expect(stored.length).toBeGreaterThanOrEqual(300);
    const companies = SEED_STOCKS.filter((s) => (s.assetClass ?? 'EQUITY') === 'EQUITY').map((s) => s.symbol);
    const linked = new Set(stored.flatMap((a) => a.symbols));
    for (const symbol of companies) expect(linked, symbol).toContain(symbol);
    // A month of news, dated back from now.
    const times = offlineHeadlines(NOW).map((a) => a.publishedAt.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
    expect(Math.min(...times)).toBeLessThan(hoursAgo(20 * 24).getTime());
  });

  it('stores nothing the second time the same articles arrive, even dated half an hour later', async () => {
    await ingestService(db.sql, new OfflineNewsProvider(() => NOW), { now: () => NOW }).ingest();
    const first = await storedArticles(db.sql);
    const later = new Date(NOW.getTime() + 30 * 60_000);
    const again = await ingestService(db.sql, new OfflineNewsProvider(() => later), { now: () => later }).ingest();
    const second = await storedArticles(db.sql);
    // Only the two fresh headlines of the new half hour can be new.
    expect(again.stored).toBeLessThanOrEqual(2);
    expect(second.length).toBe(first.length + again.stored);
    const repeat = await ingestService(db.sql, new OfflineNewsProvider(() => later), { now: () => later }).ingest();
    expect(repeat.stored).toBe(0);
  });

  it('matches symbols in the text, scores sentiment and leaves out articles that name no known stock', async () => {
    const provider = fixedProvider([
      article('Apple and Microsoft sign cloud deal; Apple beats estimates with record profit', 'https://news.example/a'),
      article('Central bank leaves rates unchanged', 'https://news.example/b'),
      article('Regulators open probe into $NVDA after lawsuit and losses', 'https://news.example/c', hoursAgo(2)),
    ]);
    const result = await ingestService(db.sql, provider, { now: () => NOW }).ingest();
    expect(result).toEqual({ fetched: 3, stored: 2, symbols: ['AAPL', 'MSFT', 'NVDA'] });
    const stored = await storedArticles(db.sql);
    expect(stored.map((a) => [a.canonical_url, a.symbols, a.sentiment_label])).toEqual([
      ['https://news.example/a', ['AAPL', 'MSFT'], 'POSITIVE'],
      ['https://news.example/c', ['NVDA'], 'NEGATIVE'],
    ]);
    expect(stored[0]!.sentiment_score).toBeGreaterThan(0);
    expect(stored[1]!.sentiment_score).toBeLessThan(0);
  });

  it('drops URL variants and near-identical titles of a stored story, and keeps a new story of the same day', async () => {
    await ingestService(db.sql, fixedProvider([article('Apple unveils new iPhone lineup at September event', 'https://News.Example/apple/iphone/')]), { now: () => NOW }).ingest();
    const result = await ingestService(
      db.sql,
      fixedProvider([
        article('Apple unveils new iPhone lineup at September event', 'https://news.example/apple/iphone?utm_source=rss#top'),
        article('Apple unveils new iPhone lineup at its September event', 'https://other.example/story/1'),
        article('Apple sued over battery claims', 'https://other.example/story/2'),
      ]),
      { now: () => NOW },
    ).ingest();
    expect(result.stored).toBe(1);
    expect((await storedArticles(db.sql)).map((a) => a.title)).toContain('Apple sued over battery claims');
  });

  it('leaves out articles older than 90 days and dates an article from the future at the moment of ingestion', async () => {
    const provider = fixedProvider([
      article('Apple shares rise', 'https://news.example/old', hoursAgo(91 * 24)),
      article('Microsoft shares rise', 'https://news.example/future', new Date(NOW.getTime() + 5 * 3_600_000)),
    ]);
    expect((await ingestService(db.sql, provider, { now: () => NOW }).ingest()).stored).toBe(1);
    const [row] = await db.sql.query<{ published_at: Date | string }>(`SELECT published_at FROM news_article`);
    expect(new Date(row!.published_at).toISOString()).toBe(NOW.toISOString());
  });

  it('tells onArticlesStored the symbols that got new articles, once per run, and not when nothing was stored', async () => {
    const calls: string[][] = [];
    const provider = fixedProvider([article('Tesla and Ford cut prices', 'https://news.example/cars')]);
    const service = ingestService(db.sql, provider, { now: () => NOW, onArticlesStored: async (symbols) => void calls.push(symbols) });
    await service.ingest();
    await service.ingest();
    expect(calls).toEqual([['F', 'TSLA']]);
  });

  it('keeps the stored articles when the onArticlesStored hook fails', async () => {
    const provider = fixedProvider([article('Tesla recalls vehicles', 'https://news.example/recall')]);
    const service = ingestService(db.sql, provider, { now: () => NOW, onArticlesStored: async () => Promise.reject(new Error('summary refresh down')) });
    expect(await service.ingest()).toMatchObject({ stored: 1, symbols: ['TSLA'] });
    expect(await storedArticles(db.sql)).toHaveLength(1);
  });

  it('stores each article once when two ingests race past their first duplicates check together', async () => {
    const articles = Array.from({ length: 30 }, (_, i) => article(`Apple story number ${i} about services growth ${'x'.repeat(i)}`, `https://news.example/race/${i}`, hoursAgo(i + 1)));
    if (!db.url) {
      // PGlite: one session, so the two runs interleave at statement level; the result must be the same.
      const results = await Promise.all([0, 1].map(() => ingestService(db.sql, fixedProvider(articles), { now: () => NOW }).ingest()));
      expect(results.map((r) => r.stored).reduce((a, b) => a + b)).toBe(30);
    } else {
      const pools = [0, 1].map(() => new pg.Pool({ connectionString: db.url, max: 2 }));
      const holder = new pg.Client({ connectionString: db.url });
      await holder.connect();
      try {
        // The barrier: both runs read "nothing stored" first, then queue on the write lock the test holds.
        await holder.query('SELECT pg_advisory_lock($1::bigint)', [NEWS_WRITE_LOCK_KEY]);
        const runs = pools.map((pool) => ingestService(createPgExecutor(pool), fixedProvider(articles), { now: () => NOW }).ingest());
        for (;;) {
          const { rows } = await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          );
          if (rows[0]!.n >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await holder.query('SELECT pg_advisory_unlock($1::bigint)', [NEWS_WRITE_LOCK_KEY]);
        const results = await Promise.all(runs);
        expect(results.map((r) => r.stored).sort()).toEqual([0, 30]);
      } finally {
        await holder.end();
        await Promise.all(pools.map((pool) => pool.end()));
      }
    }
    const stored = await storedArticles(db.sql);
    expect(stored).toHaveLength(30);
    expect(new Set(stored.map((a) => a.canonical_url)).size).toBe(30);
  });
});
