import type { SqlExecutor } from '../../db/sql-executor.js';
import type { SentimentLabel } from '../../providers/sentiment/sentiment-analyzer.js';

export interface ArticleRow {
  id: string;
  title: string;
  url: string;
  source: string;
  summary: string | null;
  publishedAt: Date;
  sentimentLabel: SentimentLabel;
  sentimentScore: number;
  sentimentAnalyzer: string;
  symbols: string[];
}

/** Newest first; the cursor is the last row's (published_at, id). */
export interface ArticleCursor {
  publishedAt: Date;
  id: string;
}

const ARTICLE_COLUMNS = `a.id::text AS id, a.title, a.url, a.source, a.summary, a.published_at AS "publishedAt",
  a.sentiment_label AS "sentimentLabel", a.sentiment_score::float8 AS "sentimentScore", a.sentiment_analyzer AS "sentimentAnalyzer",
  coalesce((SELECT array_agg(j.symbol ORDER BY j.symbol) FROM news_article_stock j
            WHERE j.article_id = a.id AND j.published_at = a.published_at), '{}') AS symbols`;

function normalise<T extends { publishedAt: Date | string; sentimentScore: number | string; symbols: unknown }>(row: T): T {
  return {
    ...row,
    publishedAt: row.publishedAt instanceof Date ? row.publishedAt : new Date(row.publishedAt),
    sentimentScore: Number(row.sentimentScore),
    symbols: Array.isArray(row.symbols) ? row.symbols : [],
  };
}

/** The newest `limit` articles of each symbol (after the cursor): one statement for any number of symbols. */
export async function articlesBySymbols(
  sql: SqlExecutor,
  symbols: readonly string[],
  limit: number,
  after: ArticleCursor | null,
): Promise<(ArticleRow & { forSymbol: string })[]> {
  const rows = await sql.query<ArticleRow & { forSymbol: string }>(
    `SELECT x.symbol AS "forSymbol", p.* FROM unnest($1::varchar[]) AS x(symbol)
     CROSS JOIN LATERAL (
       SELECT ${ARTICLE_COLUMNS}
       FROM news_article_stock s JOIN news_article a ON a.id = s.article_id AND a.published_at = s.published_at
       WHERE s.symbol = x.symbol ${after ? 'AND (s.published_at, s.article_id) < ($3::timestamptz, $4::bigint)' : ''}
       ORDER BY s.published_at DESC, s.article_id DESC
       LIMIT $2) p`,
    after ? [[...symbols], limit, after.publishedAt.toISOString(), after.id] : [[...symbols], limit],
  );
  return rows.map(normalise);
}

export interface ArticleFilter {
  symbols?: readonly string[];
  from?: Date;
  to?: Date;
}

/** Articles newest first, naming any of `symbols` when given, published in [from, to). */
export async function findArticles(sql: SqlExecutor, filter: ArticleFilter, limit: number, after: ArticleCursor | null): Promise<ArticleRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => (params.push(value), `$${params.length}`);
  if (filter.symbols) {
    where.push(`EXISTS (SELECT 1 FROM news_article_stock s WHERE s.article_id = a.id AND s.published_at = a.published_at
                AND s.symbol = ANY(${param([...filter.symbols])}::varchar[]))`);
  }
  if (filter.from) where.push(`a.published_at >= ${param(filter.from.toISOString())}::timestamptz`);
  if (filter.to) where.push(`a.published_at < ${param(filter.to.toISOString())}::timestamptz`);
  if (after) where.push(`(a.published_at, a.id) < (${param(after.publishedAt.toISOString())}::timestamptz, ${param(after.id)}::bigint)`);
  const rows = await sql.query<ArticleRow>(
    `SELECT ${ARTICLE_COLUMNS} FROM news_article a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY a.published_at DESC, a.id DESC LIMIT ${param(limit)}`,
    params,
  );
  return rows.map(normalise);
}

export interface WindowAggregate {
  symbol: string;
  count: number;
  score: number | null;
  previousCount: number;
  previousScore: number | null;
}

/**
 * Per symbol: count and mean score of its articles in (now - window, now], and of the window before it: one
 * statement for any number of symbols. Symbols without articles in either window are absent.
 */
export async function windowAggregates(sql: SqlExecutor, symbols: readonly string[], windowMs: number, now: Date): Promise<WindowAggregate[]> {
  const start = new Date(now.getTime() - windowMs);
  const previousStart = new Date(now.getTime() - 2 * windowMs);
  const rows = await sql.query<{ symbol: string; count: number; score: number | null; previous_count: number; previous_score: number | null }>(
    `SELECT s.symbol,
            count(*) FILTER (WHERE s.published_at > $2::timestamptz)::int AS count,
            avg(a.sentiment_score) FILTER (WHERE s.published_at > $2::timestamptz)::float8 AS score,
            count(*) FILTER (WHERE s.published_at <= $2::timestamptz)::int AS previous_count,
            avg(a.sentiment_score) FILTER (WHERE s.published_at <= $2::timestamptz)::float8 AS previous_score
     FROM news_article_stock s JOIN news_article a ON a.id = s.article_id AND a.published_at = s.published_at
     WHERE s.symbol = ANY($1::varchar[]) AND s.published_at > $3::timestamptz AND s.published_at <= $4::timestamptz
     GROUP BY s.symbol`,
    [[...symbols], start.toISOString(), previousStart.toISOString(), now.toISOString()],
  );
  return rows.map((r) => ({
    symbol: r.symbol,
    count: Number(r.count),
    score: r.score === null ? null : Number(r.score),
    previousCount: Number(r.previous_count),
    previousScore: r.previous_score === null ? null : Number(r.previous_score),
  }));
}
