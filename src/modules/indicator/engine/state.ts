// The incremental form of computeSeries: one IndicatorState per symbol, fed
// each new or revised daily candle. O(1) per candle except Bollinger's O(20).
import { z } from 'zod';
import {
  emaStep,
  gainOf,
  lossOf,
  meanOfMicros,
  obvStep,
  populationStdDev,
  rsiOf,
  toMicros,
  trueRange,
  wilderStep,
  type SmoothingStep,
} from './math.js';
import { PERIODS, assertFiniteCandle, timestampOf, type IndicatorCandle, type IndicatorValues } from './types.js';

export const INDICATOR_STATE_VERSION = 1;

/**
 * Closes kept: the longest window (200) plus one. A push writes the slot of the
 * candle 201 back, which neither the state it replaces nor any later push
 * reads, so rolling one push back needs no copy of the ring.
 */
const RING = Math.max(...PERIODS.sma) + 1;

/** A recursive average: the sum of its first n inputs until it is seeded with their mean. */
interface Smoothed {
  seen: number;
  sum: number;
  value: number | null;
}

/** Everything but the ring, replaced (never mutated) on each push, so the previous one is the undo record. */
interface Accumulators {
  count: number;
  timestamp: number | null;
  /** Window sums of closes in millionths (exact; see toMicros). */
  sum20: number;
  sum50: number;
  sum200: number;
  ema12: Smoothed;
  ema26: Smoothed;
  signal: Smoothed;
  gain: Smoothed;
  loss: Smoothed;
  atr: Smoothed;
  obv: number;
}

export interface IndicatorStateJSON {
  version: typeof INDICATOR_STATE_VERSION;
  /** closes[i % 201] is the close of candle i. */
  closes: number[];
  current: Accumulators;
  /** The accumulators before the latest candle; a candle with its timestamp is replayed from here. */
  previous: Accumulators | null;
}

const smoothedSchema = z.object({ seen: z.number().int().nonnegative(), sum: z.number(), value: z.number().nullable() });
const accumulatorsSchema = z.object({
  count: z.number().int().nonnegative(),
  timestamp: z.number().nullable(),
  sum20: z.number(),
  sum50: z.number(),
  sum200: z.number(),
  ema12: smoothedSchema,
  ema26: smoothedSchema,
  signal: smoothedSchema,
  gain: smoothedSchema,
  loss: smoothedSchema,
  atr: smoothedSchema,
  obv: z.number(),
});
const stateSchema = z
  .object({
    version: z.literal(INDICATOR_STATE_VERSION),
    closes: z.array(z.number()).max(RING),
    current: accumulatorsSchema,
    previous: accumulatorsSchema.nullable(),
  })
  .refine((s) => s.closes.length === Math.min(s.current.count, RING), { message: 'closes do not match the candle count' })
  .refine((s) => (s.previous === null) === (s.current.count === 0), { message: 'previous must be present once a candle was pushed' });

const EMPTY_SMOOTHED: Smoothed = { seen: 0, sum: 0, value: null };

function emptyAccumulators(): Accumulators {
  return {
    count: 0,
    timestamp: null,
    sum20: 0,
    sum50: 0,
    sum200: 0,
    ema12: EMPTY_SMOOTHED,
    ema26: EMPTY_SMOOTHED,
    signal: EMPTY_SMOOTHED,
    gain: EMPTY_SMOOTHED,
    loss: EMPTY_SMOOTHED,
    atr: EMPTY_SMOOTHED,
    obv: 0,
  };
}

function smooth(s: Smoothed, value: number, n: number, step: SmoothingStep): Smoothed {
  if (s.value !== null) return { seen: s.seen + 1, sum: s.sum, value: step(s.value, value, n) };
  const sum = s.sum + value;
  const seen = s.seen + 1;
  return { seen, sum, value: seen === n ? sum / n : null };
}

function macdOf(a: Accumulators): number | null {
  return a.ema12.value !== null && a.ema26.value !== null ? a.ema12.value - a.ema26.value : null;
}

export class IndicatorState {
  private constructor(
    private readonly closes: number[],
    private current: Accumulators,
    private previous: Accumulators | null,
  ) {}

  static create(saved?: unknown): IndicatorState {
    if (saved === undefined) return new IndicatorState([], emptyAccumulators(), null);
    const parsed = stateSchema.safeParse(saved);
    if (!parsed.success) throw new TypeError(`not a saved IndicatorState (version ${INDICATOR_STATE_VERSION}): ${parsed.error.issues[0]!.message}`);
    return new IndicatorState([...parsed.data.closes], parsed.data.current, parsed.data.previous);
  }

  /** Candles pushed so far, a replaced candle counted once. */
  get count(): number {
    return this.current.count;
  }

  /** Timestamp (epoch ms) of the latest candle, null before the first. */
  get timestamp(): number | null {
    return this.current.timestamp;
  }

  /** The values at the latest candle, null before the first. */
  latest(): IndicatorValues | null {
    return this.current.count === 0 ? null : this.valuesOf(this.current);
  }

  /**
   * Adds a candle newer than the latest, or revises the latest when the
   * timestamp is the same (today's candle changes all day). Older candles are
   * refused: the history they would change is gone; recompute from the database.
   */
  push(candle: IndicatorCandle): IndicatorValues {
    assertFiniteCandle(candle);
    const timestamp = timestampOf(candle);
    const latest = this.current.timestamp;
    if (latest !== null && timestamp < latest) {
      throw new RangeError(`candle at ${new Date(timestamp).toISOString()} is older than the latest, ${new Date(latest).toISOString()}`);
    }
    if (latest === null || timestamp > latest) this.previous = this.current;
    this.current = this.step(this.previous!, candle, timestamp);
    return this.valuesOf(this.current);
  }

  toJSON(): IndicatorStateJSON {
    return structuredClone({ version: INDICATOR_STATE_VERSION, closes: this.closes, current: this.current, previous: this.previous });
  }

  private closeAt(index: number): number {
    return this.closes[index % RING]!;
  }

  private step(base: Accumulators, candle: IndicatorCandle, timestamp: number): Accumulators {
    const i = base.count;
    const close = candle.close;
    const previousClose = i > 0 ? this.closeAt(i - 1) : null;
    const leaving = (n: number) => (i >= n ? toMicros(this.closeAt(i - n)) : 0);
    const micros = toMicros(close);
    this.closes[i % RING] = close;

    const next: Accumulators = {
      count: i + 1,
      timestamp,
      sum20: base.sum20 + micros - leaving(20),
      sum50: base.sum50 + micros - leaving(50),
      sum200: base.sum200 + micros - leaving(200),
      ema12: smooth(base.ema12, close, PERIODS.emaFast, emaStep),
      ema26: smooth(base.ema26, close, PERIODS.emaSlow, emaStep),
      signal: base.signal,
      gain: base.gain,
      loss: base.loss,
      atr: smooth(base.atr, trueRange(candle.high, candle.low, previousClose), PERIODS.atr, wilderStep),
      obv: previousClose === null ? candle.volume : obvStep(base.obv, close, previousClose, candle.volume),
    };
    const macd = macdOf(next);
    if (macd !== null) next.signal = smooth(base.signal, macd, PERIODS.macdSignal, emaStep);
    if (previousClose !== null) {
      next.gain = smooth(base.gain, gainOf(close - previousClose), PERIODS.rsi, wilderStep);
      next.loss = smooth(base.loss, lossOf(close - previousClose), PERIODS.rsi, wilderStep);
    }
    return next;
  }

  private valuesOf(a: Accumulators): IndicatorValues {
    const n = a.count;
    const sma = (sum: number, period: number) => (n >= period ? meanOfMicros(sum, period) : null);
    const macd = macdOf(a);
    const signal = a.signal.value;
    const middle = sma(a.sum20, PERIODS.bollinger);
    let deviation: number | null = null;
    if (middle !== null) {
      const window: number[] = [];
      for (let i = n - PERIODS.bollinger; i < n; i++) window.push(this.closeAt(i));
      deviation = PERIODS.bollingerDeviations * populationStdDev(window, middle);
    }
    return {
      timestamp: a.timestamp!,
      sma20: sma(a.sum20, 20),
      sma50: sma(a.sum50, 50),
      sma200: sma(a.sum200, 200),
      ema12: a.ema12.value,
      ema26: a.ema26.value,
      rsi14: a.gain.value !== null && a.loss.value !== null ? rsiOf(a.gain.value, a.loss.value) : null,
      macd,
      macdSignal: signal,
      macdHistogram: macd !== null && signal !== null ? macd - signal : null,
      bollingerUpper: middle !== null ? middle + deviation! : null,
      bollingerMiddle: middle,
      bollingerLower: middle !== null ? middle - deviation! : null,
      atr14: a.atr.value,
      obv: a.obv,
    };
  }
}

/** A fresh state, or one restored from `JSON.parse(JSON.stringify(state))`. */
export function createIndicatorState(saved?: unknown): IndicatorState {
  return IndicatorState.create(saved);
}
