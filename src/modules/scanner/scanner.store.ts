// The scanner's SQL on the stock database's raw executor: candles in, runs and ranked hits out.
// market_scan_result is range-partitioned by month on scanned_at (migration 20261204010000).
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { PackedSeries, RankedHit, ScanKindName, ScanTimeframeName, TrendName } from './scan-math.js';

export interface ScanRunRow {
  timeframe: ScanTimeframeName;
  scannedAt: Date;
  resultCount: number;
  kindCounts: Partial<Record<ScanKindName, number>>;
  symbolCount: number;
}

/** A stored hit as marketScan serves it (JSON-safe: it is cached). */
export interface ScanResultRow {
  symbol: string;
  kind: ScanKindName;
  rank: number;
  value: number;
  changePercent: number | null;
  volumeRatio: number | null;
  trend: TrendName | null;
  support: number | null;
  resistance: number | null;
}

const float = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** Prices, percents and ratios to 4 places, as candles are stored: 223.9348, not the float 223.93480000000002. */
const round4 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10_000) / 10_000);

/** Listed symbols a scan covers: active, FX pairs left out (they never appear in stock listings). */
export async function scannableSymbols(sql: SqlExecutor): Promise<string[]> {
  const rows = await sql.query<{ symbol: string }>(`SELECT symbol FROM stock WHERE is_active AND asset_class <> 'FX' ORDER BY symbol`);
  return rows.map((r) => r.symbol);
}

/**
 * Daily candles of `symbols` in [from, to], oldest first, one statement: one row per symbol with its candles packed as
 * text (PackedSeries), unpacked by the scan worker. Prices go as PostgreSQL prints NUMERIC, exactly.
 */
export async function packedDailySeries(sql: SqlExecutor, symbols: readonly string[], from: Date, to: Date): Promise<PackedSeries[]> {
  return sql.query<PackedSeries>(
    `SELECT symbol, string_agg(concat_ws(',', (extract(epoch FROM ts) * 1000)::int8, open, high, low, close, volume), ';' ORDER BY ts) AS candles
     FROM stock_price
     WHERE symbol = ANY($1::varchar[]) AND interval = 'DAY'::candle_interval AND ts >= $2::timestamptz AND ts <= $3::timestamptz
     GROUP BY symbol
     ORDER BY symbol`,
    [[...symbols], from.toISOString(), to.toISOString()],
  );
}

/**
 * Writes one run: the month's partition first (its own short statement, as ensure_market_scan_partitions asks), then
 * the run's hits and its run row in one transaction. A run of the same timeframe and time replaces what was there.
 */
export async function writeRun(sql: SqlExecutor, run: ScanRunRow, hits: readonly RankedHit[]): Promise<void> {
  const at = run.scannedAt.toISOString();
  await sql.query('SELECT ensure_market_scan_partitions($1::timestamptz, $1::timestamptz)', [at]);
  await sql.transaction(async (tx) => {
    await tx.query('DELETE FROM market_scan_result WHERE timeframe = $1 AND scanned_at = $2::timestamptz', [run.timeframe, at]);
    if (hits.length > 0) {
      await tx.query(
        `INSERT INTO market_scan_result
           (timeframe, scanned_at, kind, rank, symbol, value, change_percent, volume_ratio, trend, support, resistance, figures)
         SELECT $1, $2::timestamptz, u.kind, u.rank, u.symbol, u.value, u.change_percent, u.volume_ratio, u.trend, u.support, u.resistance, u.figures::jsonb
         FROM unnest($3::varchar[], $4::int[], $5::varchar[], $6::float8[], $7::float8[], $8::float8[], $9::varchar[], $10::float8[], $11::float8[], $12::text[])
           AS u(kind, rank, symbol, value, change_percent, volume_ratio, trend, support, resistance, figures)`,
        [
          run.timeframe,
          at,
          hits.map((h) => h.kind),
          hits.map((h) => h.rank),
          hits.map((h) => h.scan.symbol),
          hits.map((h) => h.value),
          hits.map((h) => h.scan.changePercent),
          hits.map((h) => h.scan.volumeRatio),
          hits.map((h) => h.scan.trend),
          hits.map((h) => h.scan.support),
          hits.map((h) => h.scan.resistance),
          hits.map((h) =>
            JSON.stringify({ barTs: new Date(h.scan.barTs).toISOString(), close: h.scan.close, volume: h.scan.volume, rsi14: h.scan.rsi14, macd: h.scan.macd, macdSignal: h.scan.macdSignal }),
          ),
        ],
      );
    }
    await tx.query(
      `INSERT INTO market_scan_run (timeframe, scanned_at, result_count, kind_counts, symbol_count) VALUES ($1, $2::timestamptz, $3, $4::jsonb, $5)
       ON CONFLICT (timeframe, scanned_at) DO UPDATE SET result_count = EXCLUDED.result_count, kind_counts = EXCLUDED.kind_counts, symbol_count = EXCLUDED.symbol_count`,
      [run.timeframe, at, run.resultCount, JSON.stringify(run.kindCounts), run.symbolCount],
    );
  });
}

type RunColumns = { timeframe: ScanTimeframeName; scanned_at: Date | string; result_count: number; kind_counts: unknown; symbol_count: number };
const RUN_COLUMNS = 'timeframe, scanned_at, result_count, kind_counts, symbol_count';

function toRun(row: RunColumns): ScanRunRow {
  const counts = typeof row.kind_counts === 'string' ? JSON.parse(row.kind_counts) : row.kind_counts;
  return { timeframe: row.timeframe, scannedAt: new Date(row.scanned_at), resultCount: Number(row.result_count), kindCounts: counts ?? {}, symbolCount: Number(row.symbol_count) };
}

/** The latest committed run of the timeframe, or the one at `scannedAt`; null when there is none. */
export async function findRun(sql: SqlExecutor, timeframe: ScanTimeframeName, scannedAt?: Date): Promise<ScanRunRow | null> {
  const rows = scannedAt
    ? await sql.query<RunColumns>(`SELECT ${RUN_COLUMNS} FROM market_scan_run WHERE timeframe = $1 AND scanned_at = $2::timestamptz`, [timeframe, scannedAt.toISOString()])
    : await sql.query<RunColumns>(`SELECT ${RUN_COLUMNS} FROM market_scan_run WHERE timeframe = $1 ORDER BY scanned_at DESC LIMIT 1`, [timeframe]);
  return rows[0] ? toRun(rows[0]) : null;
}

/** A run's hits of one kind in rank order (the partition of its month only: scanned_at is in the key). */
export async function runResults(sql: SqlExecutor, timeframe: ScanTimeframeName, scannedAt: Date, kind: ScanKindName): Promise<ScanResultRow[]> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT symbol, kind, rank, value, change_percent, volume_ratio, trend, support, resistance
     FROM market_scan_result WHERE timeframe = $1 AND scanned_at = $2::timestamptz AND kind = $3 ORDER BY rank`,
    [timeframe, scannedAt.toISOString(), kind],
  );
  return rows.map((r) => ({
    symbol: String(r.symbol),
    kind: r.kind as ScanKindName,
    rank: Number(r.rank),
    value: round4(Number(r.value))!,
    changePercent: round4(float(r.change_percent)),
    volumeRatio: round4(float(r.volume_ratio)),
    trend: (r.trend as TrendName | null) ?? null,
    support: round4(float(r.support)),
    resistance: round4(float(r.resistance)),
  }));
}

/** Drops runs of the timeframe older than `before`: the run rows first (they name what is served), then their hits. */
export async function pruneRuns(sql: SqlExecutor, timeframe: ScanTimeframeName, before: Date): Promise<void> {
  await sql.query('DELETE FROM market_scan_run WHERE timeframe = $1 AND scanned_at < $2::timestamptz', [timeframe, before.toISOString()]);
  await sql.query('DELETE FROM market_scan_result WHERE timeframe = $1 AND scanned_at < $2::timestamptz', [timeframe, before.toISOString()]);
}
