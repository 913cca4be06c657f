// The New York (NYSE/Nasdaq) trading calendar: which dates trade, when their
// regular session opens and closes, and what state the market is in at an
// instant. Pure; DST comes from the America/New_York zone via Intl, never from
// a fixed offset. A trading date is 'YYYY-MM-DD' in New York; DAY candles are
// stamped at UTC midnight of that date (see tradingDateOfCandle).

import { NYSE_EARLY_CLOSES, NYSE_HOLIDAYS } from './nyse-holidays.js';

export type MarketStateName = 'PRE' | 'OPEN' | 'CLOSED';

const ZONE = 'America/New_York';
const DAY_MS = 86_400_000;
const PRE_MARKET_OPEN = { hour: 4, minute: 0 };
const REGULAR_OPEN = { hour: 9, minute: 30 };
const REGULAR_CLOSE = { hour: 16, minute: 0 };
const EARLY_CLOSE = { hour: 13, minute: 0 };

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The New York calendar date of an instant. */
export function newYorkDate(instant: Date): string {
  const c = wallClock(instant);
  return isoDate(c.year, c.month, c.day);
}

/** The instant at which New York's wall clock shows `hour:minute` on `date` (never ambiguous at the times used here). */
export function newYorkInstant(date: string, hour: number, minute: number): Date {
  const { year, month, day } = parseDate(date);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset at a first guess, then once more in case the guess crossed a DST switch.
  let instant = asUtc;
  for (let i = 0; i < 2; i++) {
    const c = wallClock(new Date(instant));
    const shown = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    instant += asUtc - shown;
  }
  return new Date(instant);
}

/** The trading date a DAY candle belongs to: it is stamped at UTC midnight of that date. */
export function tradingDateOfCandle(ts: Date): string {
  return ts.toISOString().slice(0, 10);
}

/** UTC midnight of a trading date: the `ts` its DAY candle carries. */
export function candleStampOf(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

function monthDay(date: string): { year: number; key: string } {
  return { year: Number(date.slice(0, 4)), key: date.slice(5) };
}

export function isHoliday(date: string): boolean {
  const { year, key } = monthDay(date);
  return NYSE_HOLIDAYS[year]?.includes(key) ?? false;
}

export function isEarlyClose(date: string): boolean {
  const { year, key } = monthDay(date);
  return NYSE_EARLY_CLOSES[year]?.includes(key) ?? false;
}

/** A weekday that is not an exchange holiday. */
export function isTradingDay(date: string): boolean {
  const { year, month, day } = parseDate(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isHoliday(date);
}

export interface Session {
  date: string;
  /** Regular open, 09:30 New York. */
  open: Date;
  /** Regular close: 16:00 New York, 13:00 on early-close days. */
  close: Date;
  /** Pre-market start, 04:00 New York. */
  preMarket: Date;
}

/** The regular session of a trading date, or null when the exchange is closed that day. */
export function sessionOn(date: string): Session | null {
  if (!isTradingDay(date)) return null;
  const close = isEarlyClose(date) ? EARLY_CLOSE : REGULAR_CLOSE;
  return {
    date,
    open: newYorkInstant(date, REGULAR_OPEN.hour, REGULAR_OPEN.minute),
    close: newYorkInstant(date, close.hour, close.minute),
    preMarket: newYorkInstant(date, PRE_MARKET_OPEN.hour, PRE_MARKET_OPEN.minute),
  };
}

/**
 * When a session's price stops moving: its regular close. For a date the table
 * says is closed (synthetic data may still have a candle on it) 16:00 New York.
 */
export function closeInstantOf(date: string): Date {
  let close = closeInstants.get(date);
  if (close === undefined) {
    close = (sessionOn(date)?.close ?? newYorkInstant(date, REGULAR_CLOSE.hour, REGULAR_CLOSE.minute)).getTime();
    if (closeInstants.size >= MAX_CACHED_CLOSES) closeInstants.clear();
    closeInstants.set(date, close);
  }
  return new Date(close);
}

// Every quote is stamped with its session's close (observedAt): a watchlist of 50 asked for it 50 times per request,
// and each answer costs several Intl time-zone conversions (~9 % of a watchlist read's CPU in bench:watchlist's
// profile). Dates repeat across requests; the table never changes while the process runs.
const closeInstants = new Map<string, number>();
const MAX_CACHED_CLOSES = 4_096;

/** PRE from 04:00 to the open, OPEN during the regular session, CLOSED otherwise (after-hours, weekends, holidays). */
export function marketState(now: Date): MarketStateName {
  const session = sessionOn(newYorkDate(now));
  if (!session) return 'CLOSED';
  const t = now.getTime();
  if (t >= session.preMarket.getTime() && t < session.open.getTime()) return 'PRE';
  if (t >= session.open.getTime() && t < session.close.getTime()) return 'OPEN';
  return 'CLOSED';
}

/** The trading date strictly before `date`. */
export function previousTradingDay(date: string): string {
  let day = addDays(date, -1);
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

/** The latest trading date whose regular session has ended at `now` (today once the bell has rung). */
export function lastCompleteSession(now: Date): string {
  const today = newYorkDate(now);
  const session = sessionOn(today);
  if (session && now.getTime() >= session.close.getTime()) return today;
  return previousTradingDay(today);
}
