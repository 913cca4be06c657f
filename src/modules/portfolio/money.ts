import { Decimal } from 'decimal.js';

/**
 * Currencies a portfolio may hold, with their minor unit (ISO 4217 exponent).
 * Cash is booked to the minor unit; a trade's notional is rounded to it
 * (half up) before it touches the cash book.
 */
export const MINOR_UNITS: Readonly<Record<string, number>> = { USD: 2, EUR: 2, GBP: 2, CHF: 2, CAD: 2, JPY: 0 };
export const CURRENCIES = Object.keys(MINOR_UNITS);

export function minorUnit(currency: string): number {
  const digits = MINOR_UNITS[currency];
  if (digits === undefined) throw new Error(`unknown currency ${currency}`);
  return digits;
}

export function toCurrencyUnit(amount: Decimal, currency: string): Decimal {
  return amount.toDecimalPlaces(minorUnit(currency), Decimal.ROUND_HALF_UP);
}

/** A GraphQL Float as the exact decimal the client wrote (0.1 stays 0.1, not 0.1000000000000000055). */
export function decimalOf(value: number): Decimal {
  return new Decimal(String(value));
}

/** Prisma's Decimal (or a driver string) as decimal.js, for arithmetic. */
export function dec(value: { toString(): string } | string | number): Decimal {
  return new Decimal(value.toString());
}

export const ZERO = new Decimal(0);

/** The calendar date in New York (trade dates follow the US exchanges), as a UTC midnight Date for a DATE column. */
export function newYorkDate(at: Date): Date {
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  return new Date(`${ymd}T00:00:00.000Z`);
}
