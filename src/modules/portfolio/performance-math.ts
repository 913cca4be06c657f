import { Decimal } from 'decimal.js';
import xirr from 'xirr';

/**
 * One day of a portfolio's history in its base currency: the value at the
 * close and the external cash flow of that day (deposits and transfers in are
 * positive, withdrawals and transfers out negative; trades, fees and dividends
 * are not flows, they are performance).
 */
export interface DayValue {
  date: string;
  value: Decimal;
  flow: Decimal;
}

/**
 * Daily sub-period returns with the day's flow at the START of the day (it is
 * invested for the whole day): r_t = V_t / (V_{t-1} + F_t) − 1. A day that
 * starts with nothing invested (V_{t-1} + F_t ≤ 0) has no return and counts as 0.
 * `days[0]` is the anchor (the close before the range); returns start at days[1].
 */
export function dailyReturns(days: readonly DayValue[]): { date: string; value: Decimal }[] {
  const out: { date: string; value: Decimal }[] = [];
  for (let i = 1; i < days.length; i++) {
    const start = days[i - 1]!.value.plus(days[i]!.flow);
    out.push({ date: days[i]!.date, value: start.lte(0) ? new Decimal(0) : days[i]!.value.div(start).minus(1) });
  }
  return out;
}

/** Time-weighted return: the daily returns chained geometrically, Π(1 + r_t) − 1. Null when no day had money invested. */
export function timeWeightedReturn(days: readonly DayValue[]): Decimal | null {
  const returns = dailyReturns(days);
  const invested = returns.some((_, i) => days[i]!.value.plus(days[i + 1]!.flow).gt(0));
  if (!invested) return null;
  return returns.reduce((acc, r) => acc.mul(r.value.plus(1)), new Decimal(1)).minus(1);
}

/**
 * Simple total return over the range: the gain (end value − start value − net
 * flows) over the capital put at risk (start value + inflows). Null when no
 * capital was at risk.
 */
export function totalReturn(days: readonly DayValue[]): Decimal | null {
  if (days.length === 0) return null;
  const start = days[0]!.value;
  const end = days[days.length - 1]!.value;
  let net = new Decimal(0);
  let inflows = new Decimal(0);
  for (const day of days.slice(1)) {
    net = net.plus(day.flow);
    if (day.flow.gt(0)) inflows = inflows.plus(day.flow);
  }
  const base = start.plus(inflows);
  return base.lte(0) ? null : end.minus(start).minus(net).div(base);
}

export interface DatedAmount {
  /** YYYY-MM-DD */
  date: string;
  /** Investor's view: money paid into the portfolio is negative, money taken out (and the final value) positive. */
  amount: number;
}

/**
 * XIRR (annual, actual/365, the Excel convention) of dated amounts, by the
 * `xirr` package's Newton iteration. Null when it does not exist or does not
 * converge (all flows one sign, all on one day).
 */
export function xirrOf(flows: readonly DatedAmount[]): number | null {
  const nonZero = flows.filter((f) => f.amount !== 0);
  if (nonZero.length < 2) return null;
  try {
    const rate = xirr(nonZero.map((f) => ({ amount: f.amount, when: new Date(`${f.date}T00:00:00Z`) })));
    return Number.isFinite(rate) ? rate : null;
  } catch {
    return null;
  }
}

/**
 * Money-weighted return of a range: the XIRR of −V_start at the anchor date,
 * −F_t for each flow (a deposit is money the investor pays in) and +V_end at
 * the last date.
 */
export function moneyWeightedReturn(days: readonly DayValue[]): number | null {
  if (days.length < 2) return null;
  const flows: DatedAmount[] = [{ date: days[0]!.date, amount: -days[0]!.value.toNumber() }];
  for (const day of days.slice(1)) if (!day.flow.isZero()) flows.push({ date: day.date, amount: -day.flow.toNumber() });
  const last = days[days.length - 1]!;
  flows.push({ date: last.date, amount: last.value.toNumber() });
  return xirrOf(flows);
}
