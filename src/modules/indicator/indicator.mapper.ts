import { toFloatOrNull, type NumericValue } from '../../lib/numbers.js';
import type { IndicatorValues } from './engine/types.js';
import type { IndicatorPoint } from './indicator.type.js';

/** A technical_indicator row as the read queries select it. */
export interface IndicatorRow {
  symbol: string;
  ts: Date;
  sma20: NumericValue | null;
  sma50: NumericValue | null;
  sma200: NumericValue | null;
  ema12: NumericValue | null;
  ema26: NumericValue | null;
  rsi14: NumericValue | null;
  macd: NumericValue | null;
  macd_signal: NumericValue | null;
  macd_histogram: NumericValue | null;
  bollinger_upper: NumericValue | null;
  bollinger_middle: NumericValue | null;
  bollinger_lower: NumericValue | null;
  atr14: NumericValue | null;
  obv: NumericValue | null;
}

/** Column scales of technical_indicator: DECIMAL(18,6) but rsi14 DECIMAL(9,4) and obv BIGINT. */
const SCALE: Record<Exclude<keyof IndicatorValues, 'timestamp'>, number> = {
  sma20: 6, sma50: 6, sma200: 6, ema12: 6, ema26: 6, rsi14: 4, macd: 6, macdSignal: 6, macdHistogram: 6,
  bollingerUpper: 6, bollingerMiddle: 6, bollingerLower: 6, atr14: 6, obv: 0,
};

function round(value: number | null, places: number): number | null {
  // `+ 0` turns -0 into 0: the database has no negative zero to give back.
  return value === null ? null : Number(value.toFixed(places)) + 0;
}

/** The values exactly as technical_indicator stores them, so what is served live equals what is read back. */
export function roundForStorage(values: IndicatorValues): IndicatorValues {
  const out = { ...values };
  for (const [key, places] of Object.entries(SCALE) as [keyof typeof SCALE, number][]) {
    (out as Record<string, number | null>)[key] = round(values[key], places);
  }
  return out;
}

interface Flat {
  timestamp: Date;
  sma20: number | null;
  sma50: number | null;
  sma200: number | null;
  ema12: number | null;
  ema26: number | null;
  rsi14: number | null;
  macd: number | null;
  macdSignal: number | null;
  macdHistogram: number | null;
  bollingerUpper: number | null;
  bollingerMiddle: number | null;
  bollingerLower: number | null;
  atr14: number | null;
  obv: number | null;
}

function toPoint(v: Flat): IndicatorPoint {
  return {
    timestamp: v.timestamp,
    sma20: v.sma20,
    sma50: v.sma50,
    sma200: v.sma200,
    ema12: v.ema12,
    ema26: v.ema26,
    rsi14: v.rsi14,
    macd: v.macd === null ? null : { macd: v.macd, signal: v.macdSignal, histogram: v.macdHistogram },
    bollinger: v.bollingerMiddle === null ? null : { upper: v.bollingerUpper, middle: v.bollingerMiddle, lower: v.bollingerLower },
    atr14: v.atr14,
    obv: v.obv,
  };
}

/** Engine values (e.g. from IndicatorState.push) as the API serves them: rounded as stored. */
export function pointFromValues(values: IndicatorValues): IndicatorPoint {
  return toPoint({ ...roundForStorage(values), timestamp: new Date(values.timestamp) });
}

export function pointFromRow(row: IndicatorRow): IndicatorPoint {
  return toPoint({
    timestamp: new Date(row.ts),
    sma20: toFloatOrNull(row.sma20),
    sma50: toFloatOrNull(row.sma50),
    sma200: toFloatOrNull(row.sma200),
    ema12: toFloatOrNull(row.ema12),
    ema26: toFloatOrNull(row.ema26),
    rsi14: toFloatOrNull(row.rsi14),
    macd: toFloatOrNull(row.macd),
    macdSignal: toFloatOrNull(row.macd_signal),
    macdHistogram: toFloatOrNull(row.macd_histogram),
    bollingerUpper: toFloatOrNull(row.bollinger_upper),
    bollingerMiddle: toFloatOrNull(row.bollinger_middle),
    bollingerLower: toFloatOrNull(row.bollinger_lower),
    atr14: toFloatOrNull(row.atr14),
    obv: toFloatOrNull(row.obv),
  });
}

/** A point as a cache or the event bus carries it (JSON): the timestamp is an ISO string. */
export type SerializedIndicatorPoint = Omit<IndicatorPoint, 'timestamp'> & { timestamp: string };

export function pointFromJSON(cached: SerializedIndicatorPoint): IndicatorPoint {
  return { ...cached, timestamp: new Date(cached.timestamp) };
}
