// Intraday bars for the simulated provider, derived from the seed's daily
// candles: each trading day's regular session (09:30-16:00 New York) is a
// Brownian bridge from the day's open to its close, clamped into the day's
// [low, high], with volume spread over a U-shaped intraday profile. Every draw
// comes from the counter-based RNG, so a bar is the same whatever range is asked.

import { Decimal } from 'decimal.js';
import { normalAt } from '../db/seed/random.js';
import type { SeedCandle } from '../db/seed/price-path.js';
import type { HistoryCandle } from './market-data-provider.js';

export const SESSION_MINUTES = 390;
const STREAM_BRIDGE = 11;

/** Relative volume at a point x in [0, 1] of the session: heavier at the open and close; averages 1. */
export function intradayVolumeShape(x: number): number {
  const u = 2 * Math.min(1, Math.max(0, x)) - 1;
  return (1 + 1.5 * u * u) / 1.5;
}

const NEW_YORK_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });

/** Minutes east of UTC of New York on that instant (-300 or -240). */
export function newYorkOffsetMinutes(at: Date): number {
  const name = NEW_YORK_OFFSET.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-05:00';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return -300;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** 09:30 New York on the trading date of `day` (a UTC midnight), as an instant. */
export function sessionOpen(day: Date): Date {
  const nineThirtyUtc = day.getTime() + (9 * 60 + 30) * 60_000;
  return new Date(nineThirtyUtc - newYorkOffsetMinutes(new Date(nineThirtyUtc + 5 * 3_600_000)) * 60_000);
}

/** Session fraction [0, 1] of an instant, or null outside the regular session. */
export function sessionFraction(at: Date): number | null {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dow = day.getUTCDay();
  if (dow === 0 || dow === 6) return null;
  const minutes = (at.getTime() - sessionOpen(day).getTime()) / 60_000;
  return minutes >= 0 && minutes < SESSION_MINUTES ? minutes / SESSION_MINUTES : null;
}

const fixed4 = (value: number) => value.toFixed(4);

/** The day's 390 one-minute bars (barMinutes 1) or its hourly bars (barMinutes 60; the last is 30 minutes). */
export function intradayBars(day: SeedCandle, symbolSeed: number, barMinutes: 1 | 60): HistoryCandle[] {
  const open = Number(day.open);
  const close = Number(day.close);
  const high = Number(day.high);
  const low = Number(day.low);
  const dayNumber = Math.floor(day.ts.getTime() / 86_400_000);
  const n = SESSION_MINUTES;

  // Random walk W_0..W_n, then the bridge B_k = W_k - (k/n) W_n pinned at both ends.
  const walk = [0];
  const step = 0.25 * Math.abs(Math.log(high / low) || 0.01) / Math.sqrt(n / 4);
  for (let k = 1; k <= n; k++) walk.push(walk[k - 1]! + step * normalAt(symbolSeed, dayNumber * 400 + k, STREAM_BRIDGE));
  const logOpen = Math.log(open);
  const logClose = Math.log(close);
  const path = walk.map((w, k) => {
    const t = k / n;
    const price = Math.exp(logOpen + t * (logClose - logOpen) + w - t * walk[n]!);
    return Math.min(high, Math.max(low, price));
  });

  const start = sessionOpen(day.ts).getTime();
  const totalVolume = new Decimal(day.volume.toString());
  const weights = Array.from({ length: n }, (_, k) => intradayVolumeShape((k + 0.5) / n));
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const bars: HistoryCandle[] = [];
  let allocated = new Decimal(0);
  for (let first = 0; first < n; first += barMinutes) {
    const last = Math.min(n, first + barMinutes); // exclusive minute index
    const prices = path.slice(first, last + 1);
    const weight = weights.slice(first, last).reduce((a, b) => a + b, 0);
    const volume = last === n ? totalVolume.minus(allocated) : totalVolume.times(weight / weightSum).floor();
    allocated = allocated.plus(volume);
    bars.push({
      ts: new Date(start + first * 60_000),
      open: fixed4(prices[0]!),
      high: fixed4(Math.max(...prices)),
      low: fixed4(Math.min(...prices)),
      close: fixed4(prices[prices.length - 1]!),
      adjClose: null,
      volume: volume.toFixed(0),
    });
  }
  return bars;
}
