import { candleStampOf, lastCompleteSession } from './new-york-calendar.js';

/** Complete sessions an average volume covers (Stock.averageVolume, the average_volume screener filter). */
export const AVERAGE_VOLUME_SESSIONS = 20;

/**
 * Where a session volume is looked for first: 20 sessions fit in 45 days whatever the holidays.
 * Bounding the scan lets PostgreSQL prune the month partitions of stock_price (measured on the
 * seed, 109 stocks over 2 years, a screener on volume and average volume: 17.7 ms unbounded,
 * 7.6 ms bounded, 1.7 ms for volume alone). A stock with too little in the window falls back
 * to an unbounded scan in the same statement (see session-volume.sql.ts), so results do not
 * depend on the window.
 */
export const SESSION_LOOKBACK_DAYS = 45;

export interface SessionWindow {
  /** Exclusive lower bound on DAY candle ts. */
  after: Date;
  /** The last complete session's DAY candle ts (UTC midnight of its date), inclusive. */
  lastSession: Date;
}

export function sessionWindow(now: Date): SessionWindow {
  const lastSession = candleStampOf(lastCompleteSession(now));
  return { after: new Date(lastSession.getTime() - SESSION_LOOKBACK_DAYS * 86_400_000), lastSession };
}
