// Pre-aggregation of a batch of ticks into one candle update per (symbol,
// bucket): an INSERT ... ON CONFLICT DO UPDATE may not touch the same row twice,
// so several ticks of one symbol in one minute must arrive as one row.

import { Decimal } from 'decimal.js';
import type { Tick } from '../../providers/market-data-provider.js';
import { candleStampOf, newYorkDate } from './calendar/new-york-calendar.js';

export interface CandleBucket {
  symbol: string;
  /** start of the bucket */
  ts: Date;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: bigint;
  /** timestamp of the last tick in the bucket */
  lastAt: Date;
}

const SYMBOL = /^[A-Z0-9.-]{1,10}$/;
/** DECIMAL(18,6) */
const PRICE = /^\d{1,12}(\.\d+)?$/;

export function minuteStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

export function hourStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

/**
 * UTC midnight of the instant's New York date: how every DAY candle is stamped (seed, Yahoo, CSV).
 * The UTC date would put a tick after 19:00/20:00 New York into the next day's candle.
 */
export function dayStart(at: Date): Date {
  return candleStampOf(newYorkDate(at));
}

/** Why a tick cannot be stored, or null when it can. */
export function tickProblem(tick: Tick): string | null {
  if (!SYMBOL.test(tick.symbol)) return `invalid symbol ${JSON.stringify(tick.symbol)}`;
  if (!PRICE.test(tick.price) || new Decimal(tick.price).isZero()) return `${tick.symbol}: invalid price ${JSON.stringify(tick.price)}`;
  if (!Number.isFinite(tick.volume) || tick.volume < 0) return `${tick.symbol}: invalid volume ${tick.volume}`;
  if (!(tick.timestamp instanceof Date) || Number.isNaN(tick.timestamp.getTime())) return `${tick.symbol}: invalid timestamp`;
  return null;
}

/** Ticks in time order; ticks with equal timestamps keep their batch order. */
export function inTimeOrder(ticks: readonly Tick[]): Tick[] {
  return [...ticks].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}

/**
 * One bucket per (symbol, bucketOf(timestamp)): the first tick's price opens
 * it, the last closes it, high/low are the extremes, volumes add up. Sorted by
 * symbol then ts, so concurrent writers lock rows in the same order.
 */
export function aggregateTicks(ticks: readonly Tick[], bucketOf: (at: Date) => Date): CandleBucket[] {
  const buckets = new Map<string, CandleBucket>();
  for (const tick of inTimeOrder(ticks)) {
    const ts = bucketOf(tick.timestamp);
    const key = `${tick.symbol}|${ts.getTime()}`;
    const price = new Decimal(tick.price);
    const volume = BigInt(Math.round(tick.volume));
    const bucket = buckets.get(key);
    if (!bucket) {
      buckets.set(key, { symbol: tick.symbol, ts, open: price, high: price, low: price, close: price, volume, lastAt: tick.timestamp });
      continue;
    }
    if (price.greaterThan(bucket.high)) bucket.high = price;
    if (price.lessThan(bucket.low)) bucket.low = price;
    bucket.close = price;
    bucket.volume += volume;
    bucket.lastAt = tick.timestamp;
  }
  return [...buckets.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.ts.getTime() - b.ts.getTime()));
}
