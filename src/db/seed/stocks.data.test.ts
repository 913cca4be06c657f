import { describe, expect, it } from 'vitest';
import {
  SEED_CATEGORICAL_FILTERS,
  SEED_NUMERIC_FILTERS,
  SEED_SCREENERS,
  type ScreenerCriteria,
} from './catalogue.data.js';
import { SEED_BLACKLIST, SEED_SECTORS, SEED_STOCKS, SEED_UNIVERSE, type SeedStock } from './stocks.data.js';
import { SEED_FX_PAIRS } from './listings.data.js';
import { returnModel } from './price-path.js';

const REQUIRED = ['AAPL', 'MSFT', 'NVDA', 'GOOGL', 'AMZN', 'META', 'TSLA', 'JPM', 'XOM', 'JNJ', 'PG', 'KO', 'BRK.B', 'V', 'WMT'];

describe('SEED_STOCKS', () => {
  it('has at least 70 unique, well-formed symbols', () => {
    const symbols = SEED_STOCKS.map((s) => s.symbol);
    expect(symbols.length).toBeGreaterThanOrEqual(70);
    expect(new Set(symbols).size).toBe(symbols.length);
    for (const symbol of symbols) expect(symbol).toMatch(/^[A-Z0-9.\-]{1,10}$/);
  });

  it('spans at least 10 sectors with several companies each', () => {
    const sectors = new Set(SEED_STOCKS.map((s) => s.sector));
    expect(sectors.size).toBeGreaterThanOrEqual(10);
    for (const sector of SEED_SECTORS) {
      expect(SEED_STOCKS.filter((s) => s.sector === sector).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('includes the required bellwether companies', () => {
    const symbols = new Set(SEED_STOCKS.map((s) => s.symbol));
    for (const symbol of REQUIRED) expect(symbols).toContain(symbol);
    expect(SEED_STOCKS.find((s) => s.symbol === 'AAPL')?.name).toBe('Apple Inc.');
  });

  it('lists the US exchanges, the ETF venue and the three European listings, and fits the database column sizes', () => {
    expect(new Set(SEED_STOCKS.map((s) => s.exchange))).toEqual(new Set(['NASDAQ', 'NYSE', 'NYSEARCA', 'EURONEXT', 'LSE', 'XETRA']));
    for (const s of SEED_STOCKS) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.name.length).toBeLessThanOrEqual(200);
      expect(s.industry.length).toBeGreaterThan(0);
      expect(s.industry.length).toBeLessThanOrEqual(100);
    }
  });

  it('has fundamentals of realistic magnitude', () => {
    for (const s of SEED_STOCKS) {
      expect(s.marketCap).toBeGreaterThan(1e9);
      expect(s.marketCap).toBeLessThan(1e13);
      expect(s.price).toBeGreaterThan(1);
      expect(s.price).toBeLessThan(100_000);
      if (s.peRatio !== null) expect(s.peRatio).toBeGreaterThan(0);
      if (s.dividendYield !== null) {
        expect(s.dividendYield).toBeGreaterThan(0);
        expect(s.dividendYield).toBeLessThan(0.15);
      }
      expect(s.beta).toBeGreaterThan(0);
      expect(s.beta).toBeLessThan(4);
      expect(s.avgVolume).toBeGreaterThan(100_000);
    }
    expect(SEED_STOCKS.some((s) => s.peRatio === null)).toBe(true);
    expect(SEED_STOCKS.some((s) => s.dividendYield === null)).toBe(true);
  });
});

describe('seed profiles', () => {
  it('gives every stock a website and a description that fit their columns', () => {
    for (const s of SEED_STOCKS) {
      expect(s.website, s.symbol).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+/);
      expect(s.website!.length).toBeLessThanOrEqual(300);
      expect(s.description!.length, s.symbol).toBeGreaterThan(10);
      expect(s.description!.length).toBeLessThanOrEqual(2000);
    }
  });

  it('has EPS agreeing with price and P/E, and a negative EPS for each loss-maker', () => {
    for (const s of SEED_STOCKS) {
      if (s.peRatio !== null) expect(Math.abs(s.price / s.eps! - s.peRatio) / s.peRatio, s.symbol).toBeLessThan(0.01);
      else expect(s.eps, s.symbol).toBeLessThan(0);
    }
  });

  it('blacklists two seeded symbols, each with a reason', () => {
    expect(SEED_BLACKLIST.map((b) => b.symbol)).toEqual(['MO', 'PM']);
    for (const entry of SEED_BLACKLIST) {
      expect(SEED_STOCKS.map((s) => s.symbol)).toContain(entry.symbol);
      expect(entry.reason.length).toBeGreaterThan(0);
      expect(entry.reason.length).toBeLessThanOrEqual(500);
    }
  });
});

// Fundamentals-only evaluation; price and volume criteria depend on stock_price.
function matches(stock: SeedStock, criteria: ScreenerCriteria): boolean {
  const value: Record<string, number | null> = {
    market_cap: stock.marketCap,
    pe_ratio: stock.peRatio,
    dividend_yield: stock.dividendYield,
    price: stock.price,
    volume: stock.avgVolume,
    eps: stock.eps,
    beta: stock.beta,
    average_volume: stock.avgVolume,
  };
  const category: Record<string, string> = { sector: stock.sector, industry: stock.industry, exchange: stock.exchange };
  return (
    criteria.numeric.every((c) => {
      const v = value[c.filterKey];
      return v !== null && v !== undefined && (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
    }) && criteria.categorical.every((c) => c.values.includes(category[c.filterKey]!))
  );
}

describe('filter catalogue and screeners', () => {
  it('derives sorted, distinct categorical options that cover every seed stock', () => {
    for (const filter of SEED_CATEGORICAL_FILTERS) {
      const options = [...filter.options];
      expect(options).toEqual([...new Set(options)].sort());
      for (const s of SEED_STOCKS) {
        expect(options).toContain((s as unknown as Record<string, string>)[filter.columnName]);
      }
    }
    // The 11 GICS sectors plus Funds (SPY); FX pairs are not in SEED_STOCKS, so Currencies is no option.
    expect(SEED_CATEGORICAL_FILTERS.find((f) => f.key === 'sector')?.options).toHaveLength(12);
  });

  it('defines the numeric filters with their column names', () => {
    const columns = Object.fromEntries(SEED_NUMERIC_FILTERS.map((f) => [f.key, f.columnName]));
    expect(columns).toEqual({
      market_cap: 'market_cap',
      pe_ratio: 'pe_ratio',
      dividend_yield: 'dividend_yield',
      price: 'close',
      volume: 'volume',
      eps: 'eps',
      beta: 'beta',
      average_volume: 'average_volume',
    });
  });

  it('has at least 5 screeners whose criteria name known filters and values and match some seed stocks', () => {
    expect(SEED_SCREENERS.length).toBeGreaterThanOrEqual(5);
    expect(new Set(SEED_SCREENERS.map((s) => s.key)).size).toBe(SEED_SCREENERS.length);
    const numericKeys = new Set(SEED_NUMERIC_FILTERS.map((f) => f.key));
    const options = new Map(SEED_CATEGORICAL_FILTERS.map((f) => [f.key, f.options]));
    for (const screener of SEED_SCREENERS) {
      for (const c of screener.criteria.numeric) expect(numericKeys).toContain(c.filterKey);
      for (const c of screener.criteria.categorical) {
        for (const v of c.values) expect(options.get(c.filterKey)).toContain(v);
      }
      const hits = SEED_STOCKS.filter((s) => matches(s, screener.criteria)).length;
      expect(hits, screener.key).toBeGreaterThan(0);
      expect(hits, screener.key).toBeLessThan(SEED_STOCKS.length);
    }
  });
});

describe('seed listings abroad and FX pairs', () => {
  it('prices ASML and SAP in EUR and SHEL in GBP (pounds, not pence), with SPY as the one ETF', () => {
    const bySymbol = new Map(SEED_STOCKS.map((s) => [s.symbol, s]));
    expect(bySymbol.get('ASML')).toMatchObject({ currency: 'EUR', exchange: 'EURONEXT', country: 'NL' });
    expect(bySymbol.get('SAP')).toMatchObject({ currency: 'EUR', exchange: 'XETRA', country: 'DE' });
    expect(bySymbol.get('SHEL')).toMatchObject({ currency: 'GBP', exchange: 'LSE', country: 'GB' });
    // 27.10 pounds; in pence it would be 2710.
    expect(bySymbol.get('SHEL')!.price).toBeLessThan(100);
    expect(SEED_STOCKS.filter((s) => s.assetClass === 'ETF').map((s) => s.symbol)).toEqual(['SPY']);
    expect(SEED_STOCKS.some((s) => s.assetClass === 'FX')).toBe(false);
  });

  it('has a pair to USD for every currency a seeded listing trades in, each an FX row with a low, driftless volatility', () => {
    const pairs = new Set(SEED_FX_PAIRS.map((p) => p.symbol));
    for (const currency of new Set(SEED_STOCKS.map((s) => s.currency ?? 'USD'))) {
      if (currency !== 'USD') expect(pairs.has(`${currency}USD`) || pairs.has(`USD${currency}`), currency).toBe(true);
    }
    for (const pair of SEED_FX_PAIRS) {
      expect(pair.assetClass).toBe('FX');
      expect(returnModel(pair).annualVol).toBeLessThan(0.15);
      expect(returnModel(pair).drift).toBe(0);
    }
    expect(new Set(SEED_UNIVERSE.map((s) => s.symbol)).size).toBe(SEED_UNIVERSE.length);
  });
});
