import type { SqlExecutor } from '../../db/sql-executor.js';
import type { SentimentWindow } from './sentiment.type.js';

export interface StoredSummary {
  symbol: string;
  window: `${SentimentWindow}`;
  score: number;
  articleCount: number;
}

/** The newest stored summary of each (symbol, window) among `symbols`: one statement. */
export async function latestStoredSummaries(sql: SqlExecutor, symbols: readonly string[]): Promise<StoredSummary[]> {
  const rows = await sql.query<{ symbol: string; window: `${SentimentWindow}`; score: number | string; articleCount: number | null }>(
    `SELECT DISTINCT ON (symbol, summary_window) symbol, summary_window AS "window", score::float8 AS score, article_count AS "articleCount"
     FROM sentiment WHERE symbol = ANY($1::varchar[]) AND summary_window IS NOT NULL
     ORDER BY symbol, summary_window, ts DESC, id DESC`,
    [[...symbols]],
  );
  return rows.map((r) => ({ symbol: r.symbol, window: r.window, score: Number(r.score), articleCount: Number(r.articleCount ?? 0) }));
}

/** Appends summary rows (source `news`, no article) at `at`: one statement. */
export async function insertSummaries(sql: SqlExecutor, rows: readonly (StoredSummary & { label: string })[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO sentiment (symbol, summary_window, score, label, article_count, source, ts)
     SELECT s, w, sc, l, c, 'news', $6::timestamptz FROM unnest($1::varchar[], $2::varchar[], $3::numeric[], $4::varchar[], $5::int[]) AS t(s, w, sc, l, c)`,
    [rows.map((r) => r.symbol), rows.map((r) => r.window), rows.map((r) => r.score), rows.map((r) => r.label), rows.map((r) => r.articleCount), at.toISOString()],
  );
}

/** Drops stored summaries (not per-article rows) older than `before`. */
export async function deleteSummariesBefore(sql: SqlExecutor, before: Date): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM sentiment WHERE summary_window IS NOT NULL AND ts < $1::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [before.toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Symbols named by an article published after `since`. */
export async function symbolsWithArticlesSince(sql: SqlExecutor, since: Date): Promise<string[]> {
  const rows = await sql.query<{ symbol: string }>(
    `SELECT DISTINCT symbol FROM news_article_stock WHERE published_at > $1::timestamptz ORDER BY symbol`,
    [since.toISOString()],
  );
  return rows.map((r) => r.symbol);
}

/** Serialises refreshes across processes for the length of a transaction (two refreshes would publish one change twice). */
export async function lockSentimentRefresh(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('marketgraph:sentiment-refresh'))`);
}
