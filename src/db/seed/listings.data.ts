// Seed rows beyond the US companies: an ETF (the benchmark), a few listings
// that trade in EUR and GBP, and the FX pairs that convert them. Prices are
// plausible closes around the price path's anchor date (2026-01-02).
//
// SHEL on the London Stock Exchange is quoted there in pence (GBp, GBX); the
// seed stores its prices in pounds (GBP, 27.10 rather than 2710) so every
// price is in an ISO 4217 currency the cash books know.
//
// No import cycle with stocks.data.ts at runtime: only the type comes from there.

import type { SeedStock } from './stocks.data.js';

const B = 1e9;
const M = 1e6;

function eps(price: number, peRatio: number): number {
  return Math.round((price / peRatio) * 100) / 100;
}

export const SEED_ETFS: readonly SeedStock[] = [
  {
    symbol: 'SPY',
    name: 'SPDR S&P 500 ETF Trust',
    sector: 'Funds',
    industry: 'Large Cap Blend Equity ETF',
    exchange: 'NYSEARCA',
    assetClass: 'ETF',
    marketCap: 680 * B,
    price: 685,
    peRatio: 28,
    dividendYield: 0.011,
    beta: 1,
    eps: eps(685, 28),
    description: 'Exchange-traded fund tracking the S&P 500 index; the default performance benchmark.',
    website: 'https://www.ssga.com',
    avgVolume: 65 * M,
  },
];

export const SEED_LISTINGS_ABROAD: readonly SeedStock[] = [
  {
    symbol: 'ASML',
    name: 'ASML Holding N.V.',
    sector: 'Technology',
    industry: 'Semiconductor Equipment & Materials',
    exchange: 'EURONEXT',
    currency: 'EUR',
    country: 'NL',
    marketCap: 355 * B,
    price: 905,
    peRatio: 34,
    dividendYield: 0.008,
    beta: 1.3,
    eps: eps(905, 34),
    description: 'Dutch maker of the lithography systems used to pattern chips; listed on Euronext Amsterdam in euros.',
    website: 'https://www.asml.com',
    avgVolume: 0.9 * M,
  },
  {
    symbol: 'SAP',
    name: 'SAP SE',
    sector: 'Technology',
    industry: 'Software - Application',
    exchange: 'XETRA',
    currency: 'EUR',
    country: 'DE',
    marketCap: 245 * B,
    price: 210,
    peRatio: 36,
    dividendYield: 0.0112,
    beta: 1,
    eps: eps(210, 36),
    description: 'German enterprise software company (ERP, cloud applications); listed on XETRA in euros.',
    website: 'https://www.sap.com',
    avgVolume: 1.8 * M,
  },
  {
    symbol: 'SHEL',
    name: 'Shell plc',
    sector: 'Energy',
    industry: 'Oil & Gas Integrated',
    exchange: 'LSE',
    currency: 'GBP',
    country: 'GB',
    marketCap: 158 * B,
    price: 27.1,
    peRatio: 13,
    dividendYield: 0.04,
    beta: 0.5,
    eps: eps(27.1, 13),
    description: 'Integrated oil and gas company; its London line, quoted in pence there and stored here in pounds (GBP).',
    website: 'https://www.shell.com',
    avgVolume: 7 * M,
  },
];

function pair(symbol: string, name: string, quote: string, price: number, annualVol: number): SeedStock {
  return {
    symbol,
    name,
    sector: 'Currencies',
    industry: 'Currency pair',
    exchange: 'FX',
    assetClass: 'FX',
    currency: quote,
    // FX pairs belong to no country; XX is ISO 3166's user-assigned "unknown".
    country: 'XX',
    annualVol,
    marketCap: 0,
    price,
    peRatio: null,
    dividendYield: null,
    beta: 0,
    eps: null,
    description: `${name}: units of ${quote} per unit of ${symbol.slice(0, 3)}.`,
    website: null,
    // FX has no exchange volume; a nominal figure keeps the candles' shape.
    avgVolume: 1 * M,
  };
}

/** EUR and GBP for the listings above; JPY, CHF and CAD so every base currency a portfolio may have converts to USD. */
export const SEED_FX_PAIRS: readonly SeedStock[] = [
  pair('EURUSD', 'Euro / US Dollar', 'USD', 1.172, 0.07),
  pair('GBPUSD', 'British Pound / US Dollar', 'USD', 1.345, 0.08),
  pair('USDJPY', 'US Dollar / Japanese Yen', 'JPY', 156.8, 0.1),
  pair('USDCHF', 'US Dollar / Swiss Franc', 'CHF', 0.793, 0.07),
  pair('USDCAD', 'US Dollar / Canadian Dollar', 'CAD', 1.372, 0.06),
];
