import { Decimal } from 'decimal.js';
import { isTradingDay, previousTradingDay } from '../market/calendar/new-york-calendar.js';
import { ZERO } from './money.js';
import type { DayValue } from './performance-math.js';
import type { BookHistory } from './value-history.sql.js';

export type PerformanceRange = 'ONE_DAY' | 'ONE_WEEK' | 'ONE_MONTH' | 'THREE_MONTHS' | 'YTD' | 'ONE_YEAR' | 'FIVE_YEARS' | 'MAX';

/** Roughly how many daily points a range has (for the cost guard). */
export const RANGE_POINTS: Record<PerformanceRange, number> = {
  ONE_DAY: 2,
  ONE_WEEK: 6,
  ONE_MONTH: 23,
  THREE_MONTHS: 65,
  YTD: 253,
  ONE_YEAR: 253,
  FIVE_YEARS: 1261,
  MAX: 1261,
};

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

const onOrBefore = (date: string) => (isTradingDay(date) ? date : previousTradingDay(date));

/**
 * The anchor of a range ending on `end`: the close the returns are measured
 * from (the trading day on or before `end` minus the period; for ONE_DAY the
 * previous session, for YTD the last session of the previous year). MAX has
 * no anchor of its own: it starts before the first entry in the books.
 */
export function anchorOf(range: PerformanceRange, end: string): string | null {
  switch (range) {
    case 'ONE_DAY':
      return previousTradingDay(end);
    case 'ONE_WEEK':
      return onOrBefore(addDays(end, -7));
    case 'ONE_MONTH':
      return onOrBefore(addMonths(end, -1));
    case 'THREE_MONTHS':
      return onOrBefore(addMonths(end, -3));
    case 'YTD':
      return onOrBefore(`${Number(end.slice(0, 4)) - 1}-12-31`);
    case 'ONE_YEAR':
      return onOrBefore(addMonths(end, -12));
    case 'FIVE_YEARS':
      return onOrBefore(addMonths(end, -60));
    case 'MAX':
      return null;
  }
}

/**
 * The dates of a series: the anchor, then every trading day after it up to
 * `end`. A portfolio opened inside the range starts the day before its first
 * entry (worth 0 then), so a young portfolio has no run of empty days.
 * Null when the books are empty.
 */
export function seriesDates(history: BookHistory, range: PerformanceRange, end: string): string[] | null {
  const first = history.days[0]?.date;
  if (!first || first > end) return null;
  const inception = addDays(first, -1);
  const anchor = anchorOf(range, end);
  const start = anchor === null || anchor < inception ? inception : anchor;
  const dates = [start];
  for (let date = addDays(start, 1); date <= end; date = addDays(date, 1)) if (isTradingDay(date)) dates.push(date);
  if (dates[dates.length - 1] !== end) dates.push(end);
  return dates;
}

/** Every symbol the portfolio held at some point up to `end`. */
export function symbolsOf(history: BookHistory): string[] {
  return [...new Set(history.days.flatMap((day) => [...day.trades.keys()]))];
}

export function currenciesOfHistory(history: BookHistory): string[] {
  return [...new Set(history.days.flatMap((day) => [...day.cash.keys(), ...[...day.trades.values()].map((t) => t.currency)]))];
}

export interface ValuationInputs {
  /** DAY closes per symbol by date (carried forward over days without one). */
  closes: Map<string, Map<string, Decimal>>;
  /** Base units per unit of each currency. */
  rates: Map<string, Decimal>;
  /** A value to use instead of the rebuilt one on some dates: the EOD snapshots and today's live valuation. */
  known: Map<string, Decimal>;
}

/**
 * The value at each date's close, rebuilt from the books: cash is the running
 * sum of cash deltas; each position is its running quantity at the DAY close
 * on or before the date (the latest day's average execution price when the
 * symbol has no close yet). Where `known` has a value for a date (pnl_book, live) it wins.
 * Each date's flow is the sum of the external flows booked after the previous
 * date up to it, so a weekend deposit counts at the start of Monday.
 */
export function rebuildDayValues(history: BookHistory, dates: readonly string[], inputs: ValuationInputs): (DayValue & { cash: Decimal })[] {
  const cash = new Map<string, Decimal>();
  const positions = new Map<string, { currency: string; quantity: Decimal; dayPrice: Decimal }>();
  const lastClose = new Map<string, Decimal>();
  const closeDates = new Map([...inputs.closes].map(([symbol, byDate]) => [symbol, [...byDate.keys()].sort()] as const));
  const closeCursor = new Map<string, number>();
  const rate = (currency: string) => inputs.rates.get(currency) ?? new Decimal(1);
  let next = 0;
  const out: (DayValue & { cash: Decimal })[] = [];
  for (const date of dates) {
    let flow = ZERO;
    while (next < history.days.length && history.days[next]!.date <= date) {
      const day = history.days[next++]!;
      for (const [currency, delta] of day.cash) cash.set(currency, (cash.get(currency) ?? ZERO).plus(delta));
      if (out.length > 0) for (const [currency, amount] of day.flows) flow = flow.plus(amount.mul(rate(currency)));
      for (const [symbol, trade] of day.trades) {
        const held = positions.get(symbol);
        positions.set(symbol, { currency: trade.currency, quantity: (held?.quantity ?? ZERO).plus(trade.quantity), dayPrice: trade.dayPrice });
      }
    }
    for (const [symbol, sorted] of closeDates) {
      let i = closeCursor.get(symbol) ?? 0;
      while (i < sorted.length && sorted[i]! <= date) lastClose.set(symbol, inputs.closes.get(symbol)!.get(sorted[i++]!)!);
      closeCursor.set(symbol, i);
    }
    let cashValue = ZERO;
    for (const [currency, amount] of cash) cashValue = cashValue.plus(amount.mul(rate(currency)));
    let value = cashValue;
    for (const [symbol, held] of positions) {
      if (held.quantity.isZero()) continue;
      value = value.plus(held.quantity.mul(lastClose.get(symbol) ?? held.dayPrice).mul(rate(held.currency)));
    }
    out.push({ date, value: inputs.known.get(date) ?? value, flow, cash: cashValue });
  }
  return out;
}

/** A benchmark's close at each date (carried forward); null where it has none yet. */
export function closesAt(closes: Map<string, Decimal>, dates: readonly string[], today?: { date: string; price: Decimal }): (Decimal | null)[] {
  const sorted = [...closes.keys()].sort();
  let i = 0;
  let last: Decimal | null = null;
  return dates.map((date) => {
    while (i < sorted.length && sorted[i]! <= date) last = closes.get(sorted[i++]!)!;
    return today && date === today.date ? today.price : last;
  });
}
