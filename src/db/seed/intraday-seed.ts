// Hourly and minute candles for the seed's latest sessions, cut from its daily
// candles by the simulated provider's intraday model (a Brownian bridge from
// each day's open to its close inside its range), so a fresh install answers
// `candles(interval: HOUR | MINUTE)` before the live feed has run a session.

import { intradayBars } from '../../providers/simulated-intraday.js';
import { pushCandle, type CandleColumns } from './candle-columns.js';
import type { SeedCandle } from './price-path.js';
import { hashString } from './random.js';

export interface IntradaySeedSessions {
  /** Latest sessions that get hourly bars (7 a session). @default 20 */
  readonly hour: number;
  /** Latest sessions that get one-minute bars (390 a session). @default 1 */
  readonly minute: number;
}

export const DEFAULT_INTRADAY_SESSIONS: IntradaySeedSessions = { hour: 20, minute: 1 };

/** Appends the bars of `interval` for the last `sessions` of `days` (oldest first); intraday bars have no adj_close. */
export function appendIntradayBars(columns: CandleColumns, symbol: string, days: readonly SeedCandle[], interval: 'HOUR' | 'MINUTE', sessions: number): void {
  if (sessions <= 0) return;
  // The same seed as SimulatedProvider.history, so a SIMULATED backfill of these days finds them already stored.
  const symbolSeed = hashString(`stock:${symbol}`);
  for (const day of days.slice(-sessions)) {
    for (const bar of intradayBars(day, symbolSeed, interval === 'HOUR' ? 60 : 1)) pushCandle(columns, symbol, { ...bar, adjClose: null });
  }
}
