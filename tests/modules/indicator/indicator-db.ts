// Reads for the indicator integration tests, straight from SQL (not through the code under test).
import { computeSeries } from '../../../src/modules/indicator/engine/series.js';
import type { IndicatorValues } from '../../../src/modules/indicator/engine/types.js';
import { roundForStorage } from '../../../src/modules/indicator/indicator.mapper.js';
import type { TestDatabase } from '../../support/databases.js';

type Row = Record<string, unknown>;

const num = (value: unknown) => (value === null ? null : Number(value));

/** Stored rows of one symbol as engine values, oldest first. */
export async function storedValues(db: TestDatabase, symbol: string): Promise<IndicatorValues[]> {
  const rows = await db.sql.query<Row>(
    `SELECT ts, sma20::float8, sma50::float8, sma200::float8, ema12::float8, ema26::float8, rsi14::float8, macd::float8,
            macd_signal::float8, macd_histogram::float8, bollinger_upper::float8, bollinger_middle::float8,
            bollinger_lower::float8, atr14::float8, obv::float8
     FROM technical_indicator WHERE symbol = $1 AND interval = 'DAY' ORDER BY ts`,
    [symbol],
  );
  return rows.map((r) => ({
    timestamp: new Date(r.ts as string).getTime(),
    sma20: num(r.sma20),
    sma50: num(r.sma50),
    sma200: num(r.sma200),
    ema12: num(r.ema12),
    ema26: num(r.ema26),
    rsi14: num(r.rsi14),
    macd: num(r.macd),
    macdSignal: num(r.macd_signal),
    macdHistogram: num(r.macd_histogram),
    bollingerUpper: num(r.bollinger_upper),
    bollingerMiddle: num(r.bollinger_middle),
    bollingerLower: num(r.bollinger_lower),
    atr14: num(r.atr14),
    obv: num(r.obv)!,
  }));
}

/** What the engine computes from the symbol's stored daily candles. */
export async function engineSeries(db: TestDatabase, symbol: string): Promise<IndicatorValues[]> {
  const candles = await db.sql.query<Row>(
    `SELECT ts, high::float8, low::float8, close::float8, volume::float8 FROM stock_price
     WHERE symbol = $1 AND interval = 'DAY' ORDER BY ts`,
    [symbol],
  );
  return computeSeries(
    candles.map((c) => ({ timestamp: new Date(c.ts as string), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) })),
  );
}

/** The same, rounded to the column scale as technical_indicator stores it. */
export async function engineValues(db: TestDatabase, symbol: string): Promise<IndicatorValues[]> {
  return (await engineSeries(db, symbol)).map(roundForStorage);
}

/** Every stored row with its computed_at, to prove a run changed nothing. */
export function snapshot(db: TestDatabase): Promise<Row[]> {
  return db.sql.query<Row>(`SELECT *, computed_at::text AS computed_at_text FROM technical_indicator ORDER BY symbol, interval, ts`);
}
