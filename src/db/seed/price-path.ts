// Deterministic synthetic daily candles for seed stocks.
//
// Each trading day's log return is a one-factor-plus-sector model,
//   r = drift + beta * σm * Zm(day) + σs * Zs(sector, day) + σi * Zi(symbol, day),
// with every Z drawn from the counter-based RNG in random.ts keyed by the day
// number. Closes are compounded outward from a fixed anchor date whose close is
// the stock's `price`, always walking anchor -> day in the same order, so a
// day's candle is bit-for-bit the same whatever range is requested.

import { hashString, normalAt } from './random.js';
import type { SeedStock } from './stocks.data.js';

export interface SeedCandle {
  /** UTC midnight of the trading day */
  readonly ts: Date;
  /** decimal strings with 4 decimal places */
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly adjClose: string;
  readonly volume: bigint;
}

export const MS_PER_DAY = 86_400_000;
export const TRADING_DAYS_PER_YEAR = 252;

/** The close on this date equals SeedStock.price. Must be a weekday. */
export const PRICE_ANCHOR_DATE = new Date(Date.UTC(2026, 0, 2));

// Annualised volatilities of the three return components.
const MARKET_VOL = 0.16;
const SECTOR_VOL = 0.12;
const IDIO_VOL_BASE = 0.12;
const IDIO_VOL_PER_BETA = 0.05;
// Volatility uses beta clamped to this band so extreme betas stay plausible.
const VOL_BETA_MIN = 0.3;
const VOL_BETA_MAX = 2.5;

// RNG streams on a symbol's own seed (stream 0 is the idiosyncratic return).
const STREAM_GAP = 1;
const STREAM_WICK_UP = 2;
const STREAM_WICK_DOWN = 3;
const STREAM_VOLUME = 4;

// Any label works; this one was picked because its market path over 2024-2027
// stays within ~21% of trend, keeping seeded prices near the real anchor prices.
const MARKET_SEED = hashString('market:0');

/** Whole days since 1970-01-01 (UTC) of the instant's UTC calendar date. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

export function dateOfDay(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

/** Monday..Friday; day 0 (1970-01-01) was a Thursday. */
export function isWeekdayNumber(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return dow !== 0 && dow !== 6;
}

/** Weekday dates (UTC midnight) from `from` to `to`, both inclusive, ascending. */
export function tradingDays(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) {
    if (isWeekdayNumber(d)) days.push(dateOfDay(d));
  }
  return days;
}

export interface ReturnModel {
  readonly beta: number;
  /** daily log drift */
  readonly drift: number;
  readonly marketDaily: number;
  readonly sectorDaily: number;
  readonly idioDaily: number;
  /** total daily standard deviation of the log return */
  readonly dailyVol: number;
  readonly annualVol: number;
  readonly sectorSeed: number;
  readonly symbolSeed: number;
}

export function returnModel(stock: SeedStock): ReturnModel {
  if (stock.annualVol !== undefined) return pairModel(stock, stock.annualVol);
  const volBeta = Math.min(VOL_BETA_MAX, Math.max(VOL_BETA_MIN, stock.beta));
  const perDay = 1 / Math.sqrt(TRADING_DAYS_PER_YEAR);
  const marketDaily = MARKET_VOL * perDay;
  const sectorDaily = SECTOR_VOL * perDay;
  const idioDaily = (IDIO_VOL_BASE + IDIO_VOL_PER_BETA * volBeta) * perDay;
  const dailyVol = Math.sqrt((volBeta * marketDaily) ** 2 + sectorDaily ** 2 + idioDaily ** 2);
  return {
    beta: volBeta,
    drift: (0.04 + 0.03 * volBeta) / TRADING_DAYS_PER_YEAR,
    marketDaily,
    sectorDaily,
    idioDaily,
    dailyVol,
    annualVol: dailyVol * Math.sqrt(TRADING_DAYS_PER_YEAR),
    sectorSeed: hashString(`sector:${stock.sector}`),
    symbolSeed: hashString(`stock:${stock.symbol}`),
  };
}

/** An FX pair: a driftless walk of its own, with no market or sector factor. */
function pairModel(stock: SeedStock, annualVol: number): ReturnModel {
  const dailyVol = annualVol / Math.sqrt(TRADING_DAYS_PER_YEAR);
  return {
    beta: 0,
    drift: 0,
    marketDaily: 0,
    sectorDaily: 0,
    idioDaily: dailyVol,
    dailyVol,
    annualVol,
    sectorSeed: hashString(`sector:${stock.sector}`),
    symbolSeed: hashString(`stock:${stock.symbol}`),
  };
}

/** Close-to-close log return of trading day `day` (from the previous trading day's close). */
export function dailyLogReturn(model: ReturnModel, day: number): number {
  return (
    model.drift +
    model.beta * model.marketDaily * normalAt(MARKET_SEED, day) +
    model.sectorDaily * normalAt(model.sectorSeed, day) +
    model.idioDaily * normalAt(model.symbolSeed, day)
  );
}

function previousWeekday(day: number): number {
  let d = day - 1;
  while (!isWeekdayNumber(d)) d--;
  return d;
}

/**
 * Log of close/price for every trading day in [lo, hi] (which must contain the
 * anchor). Values are accumulated outward from the anchor so each day's
 * result is independent of lo and hi.
 */
function logClosesRelativeToAnchor(model: ReturnModel, lo: number, hi: number): Map<number, number> {
  const anchor = dayNumber(PRICE_ANCHOR_DATE);
  const out = new Map<number, number>([[anchor, 0]]);
  let cum = 0;
  for (let d = anchor + 1; d <= hi; d++) {
    if (!isWeekdayNumber(d)) continue;
    cum += dailyLogReturn(model, d);
    out.set(d, cum);
  }
  cum = 0;
  for (let d = anchor; d > lo; ) {
    // d is a trading day with a known value; step to the previous one.
    cum -= dailyLogReturn(model, d);
    d = previousWeekday(d);
    out.set(d, cum);
  }
  return out;
}

function fixed4(value: number): string {
  return value.toFixed(4);
}

export function generateDailyCandles(stock: SeedStock, from: Date, to: Date): SeedCandle[] {
  const days: number[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) {
    if (isWeekdayNumber(d)) days.push(d);
  }
  if (days.length === 0) return [];

  const model = returnModel(stock);
  const anchor = dayNumber(PRICE_ANCHOR_DATE);
  const firstDay = days[0]!;
  const lastDay = days[days.length - 1]!;
  const logRel = logClosesRelativeToAnchor(
    model,
    Math.min(previousWeekday(firstDay), anchor),
    Math.max(lastDay, anchor),
  );
  const closeOf = (day: number): number => stock.price * Math.exp(logRel.get(day)!);
  const sd = model.dailyVol;

  return days.map((day): SeedCandle => {
    const prevClose = closeOf(previousWeekday(day));
    const close = closeOf(day);
    const r = Math.log(close / prevClose);

    // The overnight gap carries a share of the day's move plus its own noise.
    const gap = 0.2 * r + 0.25 * sd * normalAt(model.symbolSeed, day, STREAM_GAP);
    const open = prevClose * Math.exp(gap);
    const high = Math.max(open, close) * Math.exp(0.5 * sd * Math.abs(normalAt(model.symbolSeed, day, STREAM_WICK_UP)));
    const low = Math.min(open, close) * Math.exp(-0.5 * sd * Math.abs(normalAt(model.symbolSeed, day, STREAM_WICK_DOWN)));

    // Lognormal with mean 1, scaled by (0.6 + 0.4 z^2) whose mean is also 1:
    // volume averages avgVolume and spikes on big moves.
    const z = (r - model.drift) / sd;
    const noise = Math.exp(0.25 * normalAt(model.symbolSeed, day, STREAM_VOLUME) - 0.25 ** 2 / 2);
    const volume = Math.max(1, Math.round(stock.avgVolume * noise * (0.6 + 0.4 * z * z)));

    const closeText = fixed4(close);
    return {
      ts: dateOfDay(day),
      open: fixed4(open),
      high: fixed4(high),
      low: fixed4(Math.max(low, 0.0001)),
      close: closeText,
      // No dividends or splits are simulated, so the adjusted close is the close.
      adjClose: closeText,
      volume: BigInt(volume),
    };
  });
}
