import { Decimal } from 'decimal.js';
import { toFloat, toFloatOrNull, type NumericValue } from '../../lib/numbers.js';
import { closeInstantOf, tradingDateOfCandle } from '../market/calendar/new-york-calendar.js';
import { AssetClass, type Candle, type Quote, type SessionStats, type Stock } from './stock.type.js';

export interface StockRow {
  symbol: string;
  name: string;
  sector: string;
  industry: string;
  exchange: string;
  currency: string;
  marketCap: NumericValue | null;
  peRatio: NumericValue | null;
  dividendYield: NumericValue | null;
  eps: NumericValue | null;
  beta: NumericValue | null;
  description: string | null;
  website: string | null;
  isActive: boolean;
  /** Absent from rows read before the asset_class column existed in a query: EQUITY. */
  assetClass?: string | null;
}

export interface CandleRow {
  symbol: string;
  ts: Date;
  open: NumericValue;
  high: NumericValue;
  low: NumericValue;
  close: NumericValue;
  adj_close: NumericValue | null;
  volume: NumericValue;
}

export function toStock(row: StockRow): Stock {
  return {
    symbol: row.symbol,
    name: row.name,
    sector: row.sector,
    industry: row.industry,
    exchange: row.exchange,
    currency: row.currency.trim(),
    marketCap: toFloatOrNull(row.marketCap),
    peRatio: toFloatOrNull(row.peRatio),
    dividendYield: toFloatOrNull(row.dividendYield),
    eps: toFloatOrNull(row.eps),
    beta: toFloatOrNull(row.beta),
    description: row.description,
    website: row.website,
    isActive: row.isActive,
    assetClass: AssetClass[(row.assetClass ?? 'EQUITY') as keyof typeof AssetClass] ?? AssetClass.EQUITY,
  };
}

export function toCandle(row: CandleRow): Candle {
  return {
    timestamp: new Date(row.ts),
    open: toFloat(row.open),
    high: toFloat(row.high),
    low: toFloat(row.low),
    close: toFloat(row.close),
    adjClose: toFloatOrNull(row.adj_close),
    volume: toFloat(row.volume),
  };
}

/**
 * When a DAY candle's close was observed: its session's close (16:00 New York, 13:00 on early-close
 * days), never the UTC midnight it is stamped with. A session still running (today's partial
 * candle) was last seen no later than now.
 */
export function observedAt(dayCandleTs: Date, now: Date = new Date()): Date {
  const close = closeInstantOf(tradingDateOfCandle(dayCandleTs));
  return close.getTime() > now.getTime() ? now : close;
}

/** A quote from the latest DAY candle and the one before it (newest first); arithmetic in exact decimals. */
export function quoteFromCandles(symbol: string, newestFirst: CandleRow[], now: Date = new Date()): Quote | null {
  const [latest, previous] = newestFirst;
  if (!latest) return null;
  const price = new Decimal(String(latest.close));
  const previousClose = previous ? new Decimal(String(previous.close)) : null;
  const change = previousClose ? price.minus(previousClose) : null;
  const changePercent = change && previousClose && !previousClose.isZero() ? change.div(previousClose).times(100) : null;
  return {
    symbol,
    price: price.toNumber(),
    previousClose: previousClose?.toNumber() ?? null,
    change: change?.toDecimalPlaces(6).toNumber() ?? null,
    changePercent: changePercent?.toDecimalPlaces(4).toNumber() ?? null,
    volume: toFloat(latest.volume),
    timestamp: observedAt(new Date(latest.ts), now),
  };
}

export interface SessionStatsRow {
  symbol: string;
  high_52w: NumericValue | null;
  low_52w: NumericValue | null;
  average_volume: NumericValue | null;
}

export function toSessionStats(row: SessionStatsRow | undefined): SessionStats {
  return {
    fiftyTwoWeekHigh: toFloatOrNull(row?.high_52w ?? null),
    fiftyTwoWeekLow: toFloatOrNull(row?.low_52w ?? null),
    averageVolume: row?.average_volume == null ? null : new Decimal(String(row.average_volume)).round().toNumber(),
  };
}

/** A quote as the live feed caches it: JSON, so the timestamp is an ISO string. */
export type CachedQuote = Omit<Quote, 'timestamp'> & { timestamp: string };

export function fromCachedQuote(cached: CachedQuote): Quote {
  return { ...cached, timestamp: new Date(cached.timestamp) };
}
