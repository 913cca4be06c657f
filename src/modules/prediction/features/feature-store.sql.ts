// Statements of the feature store on the raw SqlExecutor (thousands of rows per statement; Prisma's parameter and
// result handling on the main thread is what held the event loop for the indicator history, bench/indicator-lag.ts).
// Array parameters are arrays of strings, which both drivers send as PostgreSQL arrays.
import type { SqlExecutor } from '../../../db/sql-executor.js';
import type { DailyCandleRow } from '../../indicator/indicator.sql.js';
import { FEATURE_COLUMNS, FEATURE_NAMES, FEATURE_VERSION, type FeatureName, type FeatureRow } from './feature-engine.js';

export interface FeatureProgressRow {
  symbol: string;
  /** The newest stored row of the version; null when the symbol has none. */
  latest_ts: Date | null;
  /** Rows of the version stored so far. */
  stored: number;
  /** Daily candles at or before latest_ts: equal to `stored` unless candles were added or removed behind it. */
  candles_before: number | null;
}

/** Active symbols after `after` (or the given ones), by symbol, `limit` at a time, with how far their version got. */
export function featureProgress(
  sql: SqlExecutor,
  options: { version: number; after: string | null; limit: number; symbols?: readonly string[] },
): Promise<FeatureProgressRow[]> {
  return sql.query<FeatureProgressRow>(
    `SELECT s.symbol, f.latest_ts, coalesce(f.stored, 0)::int AS stored,
       CASE WHEN f.latest_ts IS NULL THEN NULL ELSE (
         SELECT count(*)::int FROM stock_price p WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts <= f.latest_ts
       ) END AS candles_before
     FROM stock s
     LEFT JOIN LATERAL (
       SELECT max(d.ts) AS latest_ts, count(*) AS stored FROM feature_engineered_data d
       WHERE d.symbol = s.symbol AND d.feature_version = $1::int
     ) f ON true
     WHERE s.is_active AND ($2::varchar IS NULL OR s.symbol > $2::varchar) AND ($3::varchar[] IS NULL OR s.symbol = ANY($3::varchar[]))
     ORDER BY s.symbol
     LIMIT $4::int`,
    [options.version, options.after, options.symbols ? [...options.symbols] : null, options.limit],
  );
}

const CANDLE_COLUMNS = `p.ts, p.high::float8 AS high, p.low::float8 AS low, p.close::float8 AS close, p.volume::float8 AS volume`;

/**
 * Per symbol: its `lookback` daily candles before `since` and every one from `since` on (all of them when since is
 * null), by symbol then time; one statement.
 */
export function candlesWithLookback(sql: SqlExecutor, starts: readonly { symbol: string; since: Date | null }[], lookback: number): Promise<DailyCandleRow[]> {
  if (starts.length === 0) return Promise.resolve([]);
  return sql.query<DailyCandleRow>(
    `SELECT k.symbol, c.ts, c.high, c.low, c.close, c.volume
     FROM unnest($1::varchar[], $2::timestamptz[]) AS k(symbol, since)
     CROSS JOIN LATERAL (
       (SELECT ${CANDLE_COLUMNS} FROM stock_price p
        WHERE p.symbol = k.symbol AND p.interval = 'DAY'::candle_interval AND k.since IS NOT NULL AND p.ts < k.since
        ORDER BY p.ts DESC LIMIT $3::int)
       UNION ALL
       (SELECT ${CANDLE_COLUMNS} FROM stock_price p
        WHERE p.symbol = k.symbol AND p.interval = 'DAY'::candle_interval AND (k.since IS NULL OR p.ts >= k.since))
     ) c
     ORDER BY k.symbol, c.ts`,
    [starts.map((s) => s.symbol), starts.map((s) => s.since?.toISOString() ?? null), lookback],
  );
}

const COLUMNS = FEATURE_NAMES.map((name) => FEATURE_COLUMNS[name]);
const text = (value: number | null) => (value === null || !Number.isFinite(value) ? null : String(value));

/**
 * One statement for the whole batch. A row already stored is rewritten only when a value differs (today's candle is
 * revised all day), so two processes computing the same rows write each once. Returns rows inserted and updated.
 */
export async function upsertFeatureRows(
  sql: SqlExecutor,
  version: number,
  rows: readonly { symbol: string; row: FeatureRow }[],
): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const column = (name: FeatureName) => rows.map(({ row }) => text(row[name]));
  const unnestArgs = COLUMNS.map((_, i) => `$${i + 4}::float8[]`).join(', ');
  const list = COLUMNS.map((c) => `"${c}"`).join(', ');
  const result = await sql.query<{ inserted: boolean }>(
    `INSERT INTO feature_engineered_data AS t ("symbol", "ts", "feature_version", ${list})
     SELECT u.symbol, u.ts, $3::int, ${COLUMNS.map((c) => `u.${c}`).join(', ')}
     FROM unnest($1::varchar[], $2::timestamptz[], ${unnestArgs}) AS u(symbol, ts, ${COLUMNS.join(', ')})
     ON CONFLICT ("symbol", "ts", "feature_version") DO UPDATE SET ${COLUMNS.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}, computed_at = CURRENT_TIMESTAMP
     WHERE (${COLUMNS.map((c) => `t."${c}"`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => `EXCLUDED."${c}"`).join(', ')})
     RETURNING (xmax = 0) AS inserted`,
    [
      rows.map((r) => r.symbol),
      rows.map((r) => new Date(r.row.ts).toISOString()),
      version,
      ...FEATURE_NAMES.map(column),
    ],
  );
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

type StoredRow = { symbol: string; ts: Date } & Record<string, number | null>;

/**
 * Stored feature rows of the given symbols (of `version`, default the current one), oldest first per symbol, from
 * `from` on (inclusive) when given. What the prediction models read instead of recomputing.
 */
export async function readFeatureRows(
  sql: SqlExecutor,
  symbols: readonly string[],
  options: { from?: Date; version?: number } = {},
): Promise<Map<string, FeatureRow[]>> {
  const result = new Map<string, FeatureRow[]>(symbols.map((s) => [s, []]));
  if (symbols.length === 0) return result;
  const rows = await sql.query<StoredRow>(
    `SELECT symbol, ts, ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM feature_engineered_data
     WHERE symbol = ANY($1::varchar[]) AND feature_version = $2::int AND ($3::timestamptz IS NULL OR ts >= $3::timestamptz)
     ORDER BY symbol, ts`,
    [[...symbols], options.version ?? FEATURE_VERSION, options.from?.toISOString() ?? null],
  );
  for (const stored of rows) {
    const row = { ts: new Date(stored.ts).getTime() } as FeatureRow;
    for (const name of FEATURE_NAMES) {
      const value = stored[FEATURE_COLUMNS[name]];
      row[name] = value === null || value === undefined ? null : Number(value);
    }
    result.get(stored.symbol)?.push(row);
  }
  return result;
}

/**
 * Rebuilds mv_features_dashboard_summary without blocking its readers (CONCURRENTLY needs the unique index on symbol
 * the migration creates). Checked 2026-12-02: PGlite runs CONCURRENTLY too, so both database kinds take this path.
 */
export async function refreshFeatureSummary(sql: SqlExecutor): Promise<void> {
  await sql.exec('REFRESH MATERIALIZED VIEW CONCURRENTLY mv_features_dashboard_summary');
}
