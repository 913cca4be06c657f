/** One daily candle as the engine needs it; `open` plays no part in any indicator here. */
export interface IndicatorCandle {
  /** The candle's start; two pushes with the same timestamp are the same candle. */
  timestamp: Date | number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Every indicator at one candle; null while the indicator is still warming up. */
export interface IndicatorValues {
  /** Epoch milliseconds of the candle these values belong to. */
  timestamp: number;
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
  /** Never null: it starts at the first candle's volume (TA-Lib's TA_OBV convention). */
  obv: number;
}

export const PERIODS = {
  sma: [20, 50, 200],
  emaFast: 12,
  emaSlow: 26,
  macdSignal: 9,
  rsi: 14,
  atr: 14,
  bollinger: 20,
  bollingerDeviations: 2,
} as const;

export function timestampOf(candle: IndicatorCandle): number {
  const ts = typeof candle.timestamp === 'number' ? candle.timestamp : candle.timestamp.getTime();
  if (!Number.isFinite(ts)) throw new RangeError(`candle timestamp is not a valid time: ${String(candle.timestamp)}`);
  return ts;
}

const CANDLE_NUMBERS = ['high', 'low', 'close', 'volume'] as const;

export function assertFiniteCandle(candle: IndicatorCandle): void {
  // The common case without a loop: this runs once per pushed candle.
  if (Number.isFinite(candle.high) && Number.isFinite(candle.low) && Number.isFinite(candle.close) && Number.isFinite(candle.volume)) return;
  for (const key of CANDLE_NUMBERS) {
    if (!Number.isFinite(candle[key])) throw new RangeError(`candle ${key} must be a finite number, got ${candle[key]}`);
  }
}
