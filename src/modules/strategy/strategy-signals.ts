// The signal logic, pure and shared: the paper evaluator (strategy-evaluator.ts)
// asks it about the latest daily bar, the backtest (backtest.ts) about every bar.
// A signal belongs to the bar whose close produced it; it fires on a crossing,
// so a condition that holds for many bars fires once, on its first bar.
import { rsi, sma } from '../indicator/engine/series.js';

export type StrategyKind = 'SMA_CROSSOVER' | 'RSI_MEAN_REVERSION' | 'FOLLOW_MODEL';
export type SignalSide = 'BUY' | 'SELL';

export type StrategyParams =
  | { kind: 'SMA_CROSSOVER'; fastPeriod: number; slowPeriod: number }
  | { kind: 'RSI_MEAN_REVERSION'; period: number; lower: number; upper: number }
  | { kind: 'FOLLOW_MODEL'; modelId: string; minConfidence: number };

/** What a model last said about a symbol (the prediction module fills this in). */
export interface PredictionSignal {
  direction: 'UP' | 'DOWN' | 'FLAT';
  confidence: number;
  /** When the prediction was made. */
  asOf: Date;
}

/** FOLLOW_MODEL reads predictions through this (src/modules/prediction/prediction-signals.ts, wired in insights.ts). */
export interface PredictionSignals {
  latest(modelId: string, symbol: string): Promise<PredictionSignal | null>;
  /**
   * The backtest's view: every stored prediction of the model for these symbols made from closes within [from, to],
   * oldest first, with `asOf` the last session each one read (not when it was written), so a replay can never use a
   * prediction before the bar whose close it came from.
   */
  history(modelId: string, symbols: readonly string[], range: { from: Date; to: Date }): Promise<Map<string, PredictionSignal[]>>;
}

/** Reads nothing: for tests and compositions without the prediction module. */
export const noPredictions: PredictionSignals = { latest: async () => null, history: async () => new Map() };

/**
 * The signal of every bar of one symbol's daily closes (oldest first), from
 * the indicators alone: null where nothing fires. FOLLOW_MODEL has no history
 * of predictions here, so it yields nulls (see followModelSignal).
 */
export function indicatorSignals(params: StrategyParams, closes: readonly number[]): (SignalSide | null)[] {
  const out: (SignalSide | null)[] = closes.map(() => null);
  if (params.kind === 'SMA_CROSSOVER') {
    const fast = sma(closes, params.fastPeriod);
    const slow = sma(closes, params.slowPeriod);
    for (let i = 1; i < closes.length; i++) {
      const [f0, s0, f1, s1] = [fast[i - 1], slow[i - 1], fast[i], slow[i]];
      if (f0 == null || s0 == null || f1 == null || s1 == null) continue;
      if (f0 <= s0 && f1 > s1) out[i] = 'BUY'; // golden cross
      else if (f0 >= s0 && f1 < s1) out[i] = 'SELL'; // death cross
    }
  } else if (params.kind === 'RSI_MEAN_REVERSION') {
    const values = rsi(closes, params.period);
    for (let i = 1; i < closes.length; i++) {
      const [r0, r1] = [values[i - 1], values[i]];
      if (r0 == null || r1 == null) continue;
      if (r1 < params.lower && r0 >= params.lower) out[i] = 'BUY';
      else if (r1 > params.upper && r0 <= params.upper) out[i] = 'SELL';
    }
  }
  return out;
}

/** FOLLOW_MODEL: UP above the confidence buys, DOWN sells, anything else does nothing. */
export function followModelSignal(params: Extract<StrategyParams, { kind: 'FOLLOW_MODEL' }>, prediction: PredictionSignal | null): SignalSide | null {
  if (!prediction || prediction.confidence < params.minConfidence) return null;
  return prediction.direction === 'UP' ? 'BUY' : prediction.direction === 'DOWN' ? 'SELL' : null;
}

/**
 * FOLLOW_MODEL over stored bars, as the evaluator sees it live: each bar follows the latest prediction made from
 * closes up to and including that bar (`history` oldest first by asOf); null before the first one.
 */
export function followModelSignals(
  params: Extract<StrategyParams, { kind: 'FOLLOW_MODEL' }>,
  barTimes: readonly Date[],
  history: readonly PredictionSignal[],
): (SignalSide | null)[] {
  let known = -1;
  return barTimes.map((ts) => {
    while (known + 1 < history.length && history[known + 1]!.asOf.getTime() <= ts.getTime()) known++;
    return known >= 0 ? followModelSignal(params, history[known]!) : null;
  });
}

/** Bars a strategy needs before it can fire (the evaluator reads this many plus one). */
export function barsNeeded(params: StrategyParams): number {
  if (params.kind === 'SMA_CROSSOVER') return params.slowPeriod + 1;
  if (params.kind === 'RSI_MEAN_REVERSION') return params.period + 2;
  return 1;
}
