// The incremental form of computeSeries: one IndicatorState per symbol, fed
// each new or revised daily candle. O(1) per candle except Bollinger's O(20)
// (twenty multiply-adds over the ring, in computeSeries' order, so the bands
// agree bit for bit; rolling sums of squares would not: see docs/BENCHMARKS.md).
// A push allocates only the values it returns: the two sets of accumulators
// are kept and overwritten in turn.
import { z } from 'zod';
import {
  emaStep,
  gainOf,
  lossOf,
  meanOfMicros,
  obvStep,
    rsiOf,
  toMicros,
  trueRange,
  wilderStep,
  type SmoothingStep,
} from './math.js';
import { PERIODS, assertFiniteCandle, timestampOf, type IndicatorCandle, type IndicatorValues } from './types.js';

const BOLLINGER = PERIODS.bollinger;
const BOLLINGER_DEVIATIONS = PERIODS.bollingerDeviations;

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

/** Everything but the ring: the state after the latest candle, and before it (the undo record); a push overwrites one from the other. */
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

function emptySmoothed(): Smoothed {
  return { seen: 0, sum: 0, value: null };
}

function emptyAccumulators(): Accumulators {
  return {
    count: 0,
    timestamp: null,
    sum20: 0,
    sum50: 0,
    sum200: 0,
    ema12: emptySmoothed(),
    ema26: emptySmoothed(),
    signal: emptySmoothed(),
    gain: emptySmoothed(),
    loss: emptySmoothed(),
    atr: emptySmoothed(),
    obv: 0,
  };
}

/** A restored set of accumulators, with Smoothed objects of its own (the state overwrites them). */
function ownAccumulators(a: Accumulators): Accumulators {
  return { ...a, ema12: { ...a.ema12 }, ema26: { ...a.ema26 }, signal: { ...a.signal }, gain: { ...a.gain }, loss: { ...a.loss }, atr: { ...a.atr } };
}

/** `out` = `s` after one more input (never the same object as `s`). */
function smoothInto(s: Smoothed, out: Smoothed, value: number, n: number, step: SmoothingStep): void {
  out.seen = s.seen + 1;
  if (s.value !== null) {
    out.sum = s.sum;
    out.value = step(s.value, value, n);
    return;
  }
  const sum = s.sum + value;
  out.sum = sum;
  out.value = out.seen === n ? sum / n : null;
}

function copySmoothed(s: Smoothed, out: Smoothed): void {
  out.seen = s.seen;
  out.sum = s.sum;
  out.value = s.value;
}

function macdOf(a: Accumulators): number | null {
  return a.ema12.value !== null && a.ema26.value !== null ? a.ema12.value - a.ema26.value : null;
}

export class IndicatorState {
  private constructor(
    private readonly closes: number[],
    private current: Accumulators,
    /** Null only before the first push. */
    private previous: Accumulators | null,
  ) {}

  static create(saved?: unknown): IndicatorState {
    if (saved === undefined) return new IndicatorState([], emptyAccumulators(), null);
    const parsed = stateSchema.safeParse(saved);
    if (!parsed.success) throw new TypeError(`not a saved IndicatorState (version ${INDICATOR_STATE_VERSION}): ${parsed.error.issues[0]!.message}`);
    const { closes, current, previous } = parsed.data;
    return new IndicatorState([...closes], ownAccumulators(current), previous && ownAccumulators(previous));
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
    if (latest === null || timestamp > latest) {
      // The latest becomes the undo record; the old undo record is overwritten with the new latest.
      const spare = this.previous ?? emptyAccumulators();
      this.previous = this.current;
      this.current = spare;
    }
    this.step(this.previous!, this.current, candle, timestamp);
    return this.valuesOf(this.current);
  }

  toJSON(): IndicatorStateJSON {
    return structuredClone({ version: INDICATOR_STATE_VERSION, closes: this.closes, current: this.current, previous: this.previous });
  }

  /** Writes into `next` the accumulators after `candle` following `base` (two different objects). */
  private step(base: Accumulators, next: Accumulators, candle: IndicatorCandle, timestamp: number): void {
    const closes = this.closes;
    const i = base.count;
    const close = candle.close;
    const previousClose = i > 0 ? closes[(i - 1) % RING]! : null;
    const micros = toMicros(close);
    closes[i % RING] = close;

    next.count = i + 1;
    next.timestamp = timestamp;
    next.sum20 = base.sum20 + micros - (i >= 20 ? toMicros(closes[(i - 20) % RING]!) : 0);
    next.sum50 = base.sum50 + micros - (i >= 50 ? toMicros(closes[(i - 50) % RING]!) : 0);
    next.sum200 = base.sum200 + micros - (i >= 200 ? toMicros(closes[(i - 200) % RING]!) : 0);
    smoothInto(base.ema12, next.ema12, close, PERIODS.emaFast, emaStep);
    smoothInto(base.ema26, next.ema26, close, PERIODS.emaSlow, emaStep);
    smoothInto(base.atr, next.atr, trueRange(candle.high, candle.low, previousClose), PERIODS.atr, wilderStep);
    next.obv = previousClose === null ? candle.volume : obvStep(base.obv, close, previousClose, candle.volume);
    const macd = macdOf(next);
    if (macd !== null) smoothInto(base.signal, next.signal, macd, PERIODS.macdSignal, emaStep);
    else copySmoothed(base.signal, next.signal);
    if (previousClose !== null) {
      smoothInto(base.gain, next.gain, gainOf(close - previousClose), PERIODS.rsi, wilderStep);
      smoothInto(base.loss, next.loss, lossOf(close - previousClose), PERIODS.rsi, wilderStep);
    } else {
      copySmoothed(base.gain, next.gain);
      copySmoothed(base.loss, next.loss);
    }
  }

  private valuesOf(a: Accumulators): IndicatorValues {
    const n = a.count;
    const macd = macdOf(a);
    const signal = a.signal.value;
    const middle = n >= BOLLINGER ? meanOfMicros(a.sum20, BOLLINGER) : null;
    let deviation = 0;
    if (middle !== null) {
      // populationStdDev over the last 20 closes, term for term, without copying them out of the ring.
      let squares = 0;
      for (let k = n - BOLLINGER; k < n; k++) {
        const value = this.closes[k % RING]!;
        squares += (value - middle) * (value - middle);
      }
      deviation = BOLLINGER_DEVIATIONS * Math.sqrt(squares / BOLLINGER);
    }
    return {
      timestamp: a.timestamp!,
      sma20: n >= 20 ? meanOfMicros(a.sum20, 20) : null,
      sma50: n >= 50 ? meanOfMicros(a.sum50, 50) : null,
      sma200: n >= 200 ? meanOfMicros(a.sum200, 200) : null,
      ema12: a.ema12.value,
      ema26: a.ema26.value,
      rsi14: a.gain.value !== null && a.loss.value !== null ? rsiOf(a.gain.value, a.loss.value) : null,
      macd,
      macdSignal: signal,
      macdHistogram: macd !== null && signal !== null ? macd - signal : null,
      bollingerUpper: middle !== null ? middle + deviation : null,
      bollingerMiddle: middle,
      bollingerLower: middle !== null ? middle - deviation : null,
      atr14: a.atr.value,
      obv: a.obv,
    };
  }
}

/** A fresh state, or one restored from `JSON.parse(JSON.stringify(state))`. */
export function createIndicatorState(saved?: unknown): IndicatorState {
  return IndicatorState.create(saved);
}
