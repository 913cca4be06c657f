// The write side of news: what is already stored (for de-duplication) and one batch of articles with their links.
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { ArticleRow } from './news.sql.js';

/**
 * Key of the transaction-scoped advisory lock every batch write takes: two processes (or a warm-up and a tick)
 * writing at once are serialised, and the second re-reads what the first stored before it inserts. Advisory locks
 * are per database, so the stock databases of parallel test runs do not share it.
 */
export const NEWS_WRITE_LOCK_KEY = 7_261_302_013;

export interface StoredTitle {
  title: string;
  publishedAt: Date;
}

export interface KnownArticles {
  urls: Set<string>;
  titles: StoredTitle[];
}

/** Stored canonical URLs among `urls`, and the stored titles of the given UTC days (YYYY-MM-DD): two statements. */
export async function knownArticles(sql: SqlExecutor, urls: readonly string[], days: readonly string[]): Promise<KnownArticles> {
  if (urls.length === 0) return { urls: new Set(), titles: [] };
  const sorted = [...days].sort();
  const from = `${sorted[0]}T00:00:00Z`;
  const to = new Date(Date.parse(`${sorted.at(-1)}T00:00:00Z`) + 86_400_000).toISOString();
  // One after the other: inside a transaction both go to the same connection anyway.
  const urlRows = await sql.query<{ canonical_url: string }>(`SELECT DISTINCT canonical_url FROM news_article WHERE canonical_url = ANY($1::varchar[])`, [[...urls]]);
  const titleRows = await sql.query<{ title: string; published_at: Date | string }>(
      `SELECT title, published_at FROM news_article
       WHERE published_at >= $1::timestamptz AND published_at < $2::timestamptz
         AND (published_at AT TIME ZONE 'UTC')::date = ANY($3::date[])`,
      [from, to, [...sorted]],
  );
  return {
    urls: new Set(urlRows.map((r) => r.canonical_url)),
    titles: titleRows.map((r) => ({ title: r.title, publishedAt: r.published_at instanceof Date ? r.published_at : new Date(r.published_at) })),
  };
}

/** An article to store: a row of `news` without its id, with the canonical URL de-duplication keys on. */
export type NewArticle = Omit<ArticleRow, 'id'> & { canonicalUrl: string };

/** Creates the months' partitions, inserts the articles and their links (two statements); returns the new ids by canonical URL. */
export async function insertArticles(tx: SqlExecutor, articles: readonly NewArticle[]): Promise<Map<string, string>> {
  if (articles.length === 0) return new Map();
  const times = articles.map((a) => a.publishedAt.getTime());
  await tx.query(`SELECT ensure_news_article_partitions($1::timestamptz, $2::timestamptz)`, [
    new Date(Math.min(...times)).toISOString(),
    new Date(Math.max(...times)).toISOString(),
  ]);
  const inserted = await tx.query<{ id: string; canonical_url: string; published_at: Date | string }>(
    `INSERT INTO news_article (title, url, canonical_url, source, summary, published_at, sentiment_label, sentiment_score, sentiment_analyzer)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::text[], $6::timestamptz[], $7::varchar[], $8::numeric[], $9::varchar[])
     RETURNING id::text AS id, canonical_url, published_at`,
    [
      articles.map((a) => a.title),
      articles.map((a) => a.url),
      articles.map((a) => a.canonicalUrl),
      articles.map((a) => a.source),
      articles.map((a) => a.summary),
      articles.map((a) => a.publishedAt.toISOString()),
      articles.map((a) => a.sentimentLabel),
      articles.map((a) => a.sentimentScore.toFixed(5)),
      articles.map((a) => a.sentimentAnalyzer),
    ],
  );
  const ids = new Map(inserted.map((row) => [row.canonical_url, row.id]));
  const links = articles.flatMap((a) => a.symbols.map((symbol) => ({ id: ids.get(a.canonicalUrl)!, publishedAt: a.publishedAt, symbol })));
  if (links.length > 0) {
    await tx.query(
      `INSERT INTO news_article_stock (article_id, published_at, symbol)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::varchar[])
       ON CONFLICT (article_id, symbol) DO NOTHING`,
      [links.map((l) => l.id), links.map((l) => l.publishedAt.toISOString()), links.map((l) => l.symbol)],
    );
  }
  return ids;
}

/** The active stocks the matcher looks for (FX pairs are not named in news the way companies are). */
export function matchableStocks(sql: SqlExecutor): Promise<{ symbol: string; name: string }[]> {
  return sql.query<{ symbol: string; name: string }>(`SELECT symbol, name FROM stock WHERE is_active AND asset_class::text <> 'FX' ORDER BY symbol`);
}
