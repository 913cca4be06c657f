import type { SqlExecutor } from '../../../src/db/sql-executor.js';

export interface TestArticle {
  symbols: string[];
  score: number;
  hoursAgo: number;
}

let serial = 0;

/** Inserts scored articles straight into news_article and news_article_stock, published `hoursAgo` before now. */
export async function insertArticles(sql: SqlExecutor, articles: readonly TestArticle[]): Promise<void> {
  await sql.query(`SELECT ensure_news_article_partitions(now() - interval '90 days', now())`);
  for (const { symbols, score, hoursAgo } of articles) {
    const n = ++serial;
    const label = score >= 0.05 ? 'POSITIVE' : score <= -0.05 ? 'NEGATIVE' : 'NEUTRAL';
    await sql.query(
      `WITH a AS (
         INSERT INTO news_article (title, url, canonical_url, source, published_at, sentiment_label, sentiment_score, sentiment_analyzer)
         VALUES ($1, $2, $2, 'test', now() - make_interval(hours => $3::int), $4, $5, 'lexicon') RETURNING id, published_at)
       INSERT INTO news_article_stock (article_id, published_at, symbol) SELECT a.id, a.published_at, s FROM a, unnest($6::varchar[]) AS s`,
      [`Headline ${n}`, `https://news.test/${n}`, hoursAgo, label, score, symbols],
    );
  }
}

export async function clearNews(sql: SqlExecutor): Promise<void> {
  await sql.exec(`TRUNCATE news_article, news_article_stock, sentiment`);
}
