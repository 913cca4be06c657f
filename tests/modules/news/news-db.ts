import { SEED_STOCKS } from '../../../src/db/seed/stocks.data.js';
import type { SqlExecutor } from '../../../src/db/sql-executor.js';
import { createLogger } from '../../../src/log.js';
import type { NewsProvider, RawArticle } from '../../../src/providers/news/index.js';
import { createLexiconAnalyzer } from '../../../src/providers/sentiment/index.js';
import { NewsIngestService, type NewsIngestOptions } from '../../../src/modules/news/news-ingest.service.js';

/** The seeded companies' stock rows (no candles): what the symbol matcher looks for. */
export async function insertSeedStocks(sql: SqlExecutor): Promise<void> {
  const stocks = SEED_STOCKS;
  await sql.query(
    `INSERT INTO stock (symbol, name, sector, industry, exchange, asset_class)
     SELECT s, n, se, i, e, a::asset_class FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::text[]) AS x(s, n, se, i, e, a)`,
    [
      stocks.map((s) => s.symbol),
      stocks.map((s) => s.name),
      stocks.map((s) => s.sector),
      stocks.map((s) => s.industry),
      stocks.map((s) => s.exchange),
      stocks.map((s) => s.assetClass ?? 'EQUITY'),
    ],
  );
}

/** A provider handing over fixed articles, counting its calls. */
export function fixedProvider(articles: RawArticle[] | (() => RawArticle[])): NewsProvider & { calls: number } {
  return {
    name: 'fixed',
    calls: 0,
    async fetch() {
      this.calls += 1;
      return typeof articles === 'function' ? articles() : articles;
    },
  };
}

export function ingestService(sql: SqlExecutor, provider: NewsProvider, extra: Partial<NewsIngestOptions> = {}): NewsIngestService {
  return new NewsIngestService({ sql, provider, analyzer: createLexiconAnalyzer(), logger: createLogger('silent'), ...extra });
}

export async function storedArticles(sql: SqlExecutor): Promise<{ id: string; title: string; canonical_url: string; symbols: string[]; sentiment_label: string; sentiment_score: number }[]> {
  const rows = await sql.query<{ id: string; title: string; canonical_url: string; symbols: string[] | null; sentiment_label: string; sentiment_score: string }>(
    `SELECT a.id::text AS id, a.title, a.canonical_url, a.sentiment_label, a.sentiment_score::text AS sentiment_score,
            (SELECT array_agg(s.symbol ORDER BY s.symbol) FROM news_article_stock s WHERE s.article_id = a.id) AS symbols
     FROM news_article a ORDER BY a.published_at DESC, a.id DESC`,
  );
  return rows.map((r) => ({ ...r, symbols: r.symbols ?? [], sentiment_score: Number(r.sentiment_score) }));
}
