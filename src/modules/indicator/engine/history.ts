// The pure step of the indicator history: candles of a few symbols in, the
// points to store and each symbol's state out. Plain data both ways, so it runs
// the same on the main thread or in a worker (src/workers/indicator-worker.ts).
import { roundForStorage } from '../indicator.mapper.js';
import { IndicatorState, type IndicatorStateJSON } from './state.js';
import type { IndicatorValues } from './types.js';

/** One symbol's daily candles, oldest first, as columns (cheap to post to a worker). */
export interface HistoryTask {
  symbol: string;
  /** Resume from this state (its latest candle and newer ones are in the columns); absent: from the first candle. */
  state?: IndicatorStateJSON | null;
  ts: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  /** Points older than this (epoch ms) are computed but not returned. */
  writeFrom: number;
}

export interface HistoryResult {
  symbol: string;
  /** Rounded as technical_indicator stores them, ts >= writeFrom. */
  points: IndicatorValues[];
  state: IndicatorStateJSON;
  /** Epoch ms of the state's latest candle; null with no candle at all. */
  asOf: number | null;
  /** The values at the latest candle, unrounded; null with no candle at all. */
  latest: IndicatorValues | null;
}

export function computeHistory(task: HistoryTask): HistoryResult {
  const state = IndicatorState.create(task.state ?? undefined);
  const points: IndicatorValues[] = [];
  for (let i = 0; i < task.ts.length; i++) {
    const values = state.push({ timestamp: task.ts[i]!, high: task.high[i]!, low: task.low[i]!, close: task.close[i]!, volume: task.volume[i]! });
    if (values.timestamp >= task.writeFrom) points.push(roundForStorage(values));
  }
  return { symbol: task.symbol, points, state: state.toJSON(), asOf: state.timestamp, latest: state.latest() };
}

export function computeHistories(tasks: readonly HistoryTask[]): HistoryResult[] {
  return tasks.map(computeHistory);
}
