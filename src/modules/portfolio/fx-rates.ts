import DataLoader from 'dataloader';
import { Decimal } from 'decimal.js';
import type { StockClient } from '../../db/database.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { dec } from './money.js';

/** Exchange rates: how many units of `to` one unit of `from` buys, or null when none is stored. */
export interface FxRates {
  rate(from: string, to: string): Promise<Decimal | null>;
}

/** A rate that must exist: BAD_USER_INPUT naming the pair otherwise. */
export async function requireRate(fx: FxRates, from: string, to: string): Promise<Decimal> {
  const rate = await fx.rate(from, to);
  if (!rate) throw new BadUserInputError(`no FX rate for ${from}→${to}`);
  return rate;
}

/** Rates are triangulated through this currency when no pair of the two is stored (EURGBP = EURUSD / GBPUSD). */
const PIVOT = 'USD';

/**
 * Rates from the stock database: the latest close of the pair's symbol
 * (`EURUSD`: dollars per euro) in stock_price, any interval (the feed's
 * ticks land there as MINUTE candles, the seed's history as DAY candles), or
 * 1 / the inverse pair's close, or the cross through USD. The pairs are rows
 * of `stock` with asset class FX (see the seed's listings.data.ts). One
 * batched statement per request for every pair asked (a DataLoader over pair
 * symbols: a cross rate's legs are asked in the same tick, so still one).
 */
export class StockDbFxRates implements FxRates {
  private readonly closes: DataLoader<string, Decimal | null>;

  constructor(stockDb: StockClient) {
    this.closes = new DataLoader(async (symbols) => {
      const rows = await stockDb.$queryRaw<{ symbol: string; close: { toString(): string } }[]>`
        SELECT DISTINCT ON (symbol) symbol, close FROM stock_price
        WHERE symbol = ANY(${[...symbols]}::varchar[]) ORDER BY symbol, ts DESC`;
      const bySymbol = new Map(rows.map((row) => [row.symbol, dec(row.close)]));
      return symbols.map((symbol) => bySymbol.get(symbol) ?? null);
    });
  }

  async rate(from: string, to: string): Promise<Decimal | null> {
    if (from === to) return new Decimal(1);
    const viaPivot = from !== PIVOT && to !== PIVOT;
    const [stored, fromLeg, toLeg] = await Promise.all([
      this.stored(from, to),
      viaPivot ? this.stored(from, PIVOT) : null,
      viaPivot ? this.stored(PIVOT, to) : null,
    ]);
    if (stored) return stored;
    if (fromLeg && toLeg) return fromLeg.mul(toLeg);
    return null;
  }

  private async stored(from: string, to: string): Promise<Decimal | null> {
    const [direct, inverse] = await Promise.all([this.closes.load(`${from}${to}`), this.closes.load(`${to}${from}`)]);
    if (direct && direct.gt(0)) return direct;
    if (inverse && inverse.gt(0)) return new Decimal(1).div(inverse);
    return null;
  }
}
