import { Decimal } from 'decimal.js';
import { toFloat, toFloatOrNull, type NumericValue } from '../../lib/numbers.js';
import type { Candle, Quote, Stock } from './stock.type.js';

export interface StockRow {
  symbol: string;
  name: string;
  sector: string;
  industry: string;
  exchange: string;
  currency: string;
  marketCap: NumericValue | null;
  isActive: boolean;
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
    isActive: row.isActive,
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

/** A quote from the latest candle and the one before it (newest first); arithmetic in exact decimals. */
export function quoteFromCandles(symbol: string, newestFirst: CandleRow[]): Quote | null {
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
    timestamp: new Date(latest.ts),
  };
}

/** A quote as the live feed caches it: JSON, so the timestamp is an ISO string. */
export type CachedQuote = Omit<Quote, 'timestamp'> & { timestamp: string };

export function fromCachedQuote(cached: CachedQuote): Quote {
  return { ...cached, timestamp: new Date(cached.timestamp) };
}
