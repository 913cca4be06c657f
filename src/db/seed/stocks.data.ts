// Seed universe for the stock database: real US-listed companies with
// approximate fundamentals around the turn of 2025/2026. The numbers only need
// realistic orders of magnitude; `price` is the close the synthetic price path
// is anchored to (see price-path.ts). Websites, descriptions and the EPS of
// loss-makers live in profiles.data.ts.

import { SEED_ETFS, SEED_FX_PAIRS, SEED_LISTINGS_ABROAD } from './listings.data.js';
import { LOSS_MAKER_EPS, SEED_PROFILES } from './profiles.data.js';

export const SEED_SECTORS = [
  'Technology',
  'Communication Services',
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Materials',
  'Real Estate',
  'Utilities',
] as const;

export type SeedSector = (typeof SEED_SECTORS)[number];
export type SeedExchange = 'NASDAQ' | 'NYSE' | 'NYSEARCA' | 'EURONEXT' | 'LSE' | 'XETRA' | 'FX';
/** Rows of `stock` that are not companies: exchange-traded funds and FX pairs (see listings.data.ts). */
export type SeedAssetClass = 'EQUITY' | 'ETF' | 'FX';

export interface SeedStock {
  readonly symbol: string;
  readonly name: string;
  readonly sector: SeedSector | 'Funds' | 'Currencies';
  readonly industry: string;
  readonly exchange: SeedExchange;
  /** Default EQUITY. */
  readonly assetClass?: SeedAssetClass;
  /** ISO 4217 currency of its prices and market cap; default USD. */
  readonly currency?: string;
  /** ISO 3166 country of the listing; default US. */
  readonly country?: string;
  /** FX pairs only: annualised volatility of the pair's own random walk (no market or sector factor). */
  readonly annualVol?: number;
  /** in `currency` (USD unless it says otherwise); 0 for FX pairs */
  readonly marketCap: number;
  /** per share in `currency`, the close on the price path's anchor date */
  readonly price: number;
  /** null for loss-makers */
  readonly peRatio: number | null;
  /** fraction (0.0052 = 0.52%), null when no dividend is paid */
  readonly dividendYield: number | null;
  readonly beta: number;
  /** trailing twelve-month earnings per share, USD: price / P/E, or the loss for loss-makers; null when unknown */
  readonly eps: number | null;
  readonly description: string | null;
  readonly website: string | null;
  /** shares per day */
  readonly avgVolume: number;
}

type Row = readonly [
  symbol: string,
  name: string,
  exchange: SeedExchange,
  industry: string,
  marketCap: number,
  price: number,
  peRatio: number | null,
  dividendYield: number | null,
  beta: number,
  avgVolume: number,
];

const B = 1e9;
const T = 1e12;
const M = 1e6;

// symbol, name, exchange, industry, marketCap, price, P/E, dividend yield, beta, avg volume
const ROWS: Record<SeedSector, readonly Row[]> = {
  Technology: [
    ['AAPL', 'Apple Inc.', 'NASDAQ', 'Consumer Electronics', 4.0 * T, 271, 36.3, 0.0039, 1.1, 48 * M],
    ['MSFT', 'Microsoft Corporation', 'NASDAQ', 'Software - Infrastructure', 3.6 * T, 483, 34.5, 0.0075, 0.9, 21 * M],
    ['NVDA', 'NVIDIA Corporation', 'NASDAQ', 'Semiconductors', 4.5 * T, 187, 46.1, 0.0002, 1.8, 175 * M],
    ['AVGO', 'Broadcom Inc.', 'NASDAQ', 'Semiconductors', 1.6 * T, 346, 72.4, 0.0069, 1.2, 24 * M],
    ['ORCL', 'Oracle Corporation', 'NYSE', 'Software - Infrastructure', 560 * B, 197, 45.2, 0.0101, 1.3, 26 * M],
    ['CRM', 'Salesforce, Inc.', 'NYSE', 'Software - Application', 250 * B, 264, 37.8, 0.0063, 1.2, 7.2 * M],
    ['ADBE', 'Adobe Inc.', 'NASDAQ', 'Software - Application', 148 * B, 349, 21.1, null, 1.3, 3.6 * M],
    ['AMD', 'Advanced Micro Devices, Inc.', 'NASDAQ', 'Semiconductors', 350 * B, 214, 110.5, null, 1.9, 45 * M],
    ['INTC', 'Intel Corporation', 'NASDAQ', 'Semiconductors', 175 * B, 37, null, null, 1.3, 90 * M],
    ['CSCO', 'Cisco Systems, Inc.', 'NASDAQ', 'Communication Equipment', 305 * B, 77, 29.8, 0.0213, 0.9, 20 * M],
    ['IBM', 'International Business Machines Corporation', 'NYSE', 'Information Technology Services', 280 * B, 297, 35.4, 0.0226, 0.7, 4.5 * M],
    ['QCOM', 'QUALCOMM Incorporated', 'NASDAQ', 'Semiconductors', 185 * B, 172, 34.2, 0.0207, 1.3, 8.1 * M],
    ['TXN', 'Texas Instruments Incorporated', 'NASDAQ', 'Semiconductors', 160 * B, 175, 32.0, 0.0311, 1.0, 7.0 * M],
    ['ACN', 'Accenture plc', 'NYSE', 'Information Technology Services', 170 * B, 270, 22.3, 0.024, 1.0, 3.5 * M],
    ['MU', 'Micron Technology, Inc.', 'NASDAQ', 'Semiconductors', 320 * B, 285, 27.1, 0.0016, 1.5, 25 * M],
    ['PLTR', 'Palantir Technologies Inc.', 'NASDAQ', 'Software - Infrastructure', 420 * B, 178, 398.0, null, 2.5, 45 * M],
  ],
  'Communication Services': [
    ['GOOGL', 'Alphabet Inc.', 'NASDAQ', 'Internet Content & Information', 3.8 * T, 314, 30.9, 0.0027, 1.05, 35 * M],
    ['META', 'Meta Platforms, Inc.', 'NASDAQ', 'Internet Content & Information', 1.65 * T, 658, 29.2, 0.0032, 1.25, 12 * M],
    ['NFLX', 'Netflix, Inc.', 'NASDAQ', 'Entertainment', 400 * B, 94, 39.3, null, 1.2, 40 * M],
    ['DIS', 'The Walt Disney Company', 'NYSE', 'Entertainment', 205 * B, 113, 16.4, 0.0133, 1.4, 9.2 * M],
    ['CMCSA', 'Comcast Corporation', 'NASDAQ', 'Telecom Services', 110 * B, 30, 5.0, 0.044, 0.9, 30 * M],
    ['T', 'AT&T Inc.', 'NYSE', 'Telecom Services', 178 * B, 25, 8.1, 0.0448, 0.55, 35 * M],
    ['VZ', 'Verizon Communications Inc.', 'NYSE', 'Telecom Services', 172 * B, 41, 8.8, 0.067, 0.4, 20 * M],
    ['TMUS', 'T-Mobile US, Inc.', 'NASDAQ', 'Telecom Services', 225 * B, 200, 19.0, 0.0178, 0.5, 4.6 * M],
  ],
  'Consumer Discretionary': [
    ['AMZN', 'Amazon.com, Inc.', 'NASDAQ', 'Internet Retail', 2.45 * T, 230, 32.4, null, 1.3, 45 * M],
    ['TSLA', 'Tesla, Inc.', 'NASDAQ', 'Auto Manufacturers', 1.45 * T, 440, 298.0, null, 2.3, 90 * M],
    ['HD', 'The Home Depot, Inc.', 'NYSE', 'Home Improvement Retail', 345 * B, 345, 23.4, 0.0267, 1.0, 3.8 * M],
    ['LOW', "Lowe's Companies, Inc.", 'NYSE', 'Home Improvement Retail', 137 * B, 243, 20.2, 0.0197, 0.95, 2.8 * M],
    ['MCD', "McDonald's Corporation", 'NYSE', 'Restaurants', 220 * B, 307, 26.1, 0.0242, 0.55, 3.5 * M],
    ['SBUX', 'Starbucks Corporation', 'NASDAQ', 'Restaurants', 97 * B, 85, 52.0, 0.0292, 1.0, 10 * M],
    ['NKE', 'NIKE, Inc.', 'NYSE', 'Footwear & Accessories', 93 * B, 63, 33.0, 0.0257, 1.2, 15 * M],
    ['BKNG', 'Booking Holdings Inc.', 'NASDAQ', 'Travel Services', 175 * B, 5400, 36.2, 0.0071, 1.3, 0.25 * M],
    ['GM', 'General Motors Company', 'NYSE', 'Auto Manufacturers', 77 * B, 82, 16.0, 0.0073, 1.4, 9.0 * M],
    ['F', 'Ford Motor Company', 'NYSE', 'Auto Manufacturers', 52 * B, 13.2, 11.2, 0.0455, 1.6, 60 * M],
    ['TJX', 'The TJX Companies, Inc.', 'NYSE', 'Apparel Retail', 172 * B, 155, 34.1, 0.011, 0.8, 5.0 * M],
  ],
  'Consumer Staples': [
    ['WMT', 'Walmart Inc.', 'NASDAQ', 'Discount Stores', 890 * B, 112, 39.0, 0.0084, 0.65, 18 * M],
    ['COST', 'Costco Wholesale Corporation', 'NASDAQ', 'Discount Stores', 385 * B, 865, 47.2, 0.006, 0.9, 2.2 * M],
    ['PG', 'The Procter & Gamble Company', 'NYSE', 'Household & Personal Products', 335 * B, 143, 21.0, 0.0296, 0.4, 8.0 * M],
    ['CL', 'Colgate-Palmolive Company', 'NYSE', 'Household & Personal Products', 64 * B, 79, 22.1, 0.0263, 0.4, 5.0 * M],
    ['KO', 'The Coca-Cola Company', 'NYSE', 'Beverages - Non-Alcoholic', 300 * B, 70, 23.3, 0.0292, 0.45, 14 * M],
    ['PEP', 'PepsiCo, Inc.', 'NASDAQ', 'Beverages - Non-Alcoholic', 195 * B, 143, 27.0, 0.0398, 0.45, 7.0 * M],
    ['PM', 'Philip Morris International Inc.', 'NYSE', 'Tobacco', 250 * B, 160, 22.4, 0.0365, 0.5, 6.0 * M],
    ['MO', 'Altria Group, Inc.', 'NYSE', 'Tobacco', 97 * B, 58, 11.0, 0.0731, 0.55, 9.0 * M],
    ['MDLZ', 'Mondelez International, Inc.', 'NASDAQ', 'Confectioners', 70 * B, 54, 20.1, 0.037, 0.45, 10 * M],
    ['KR', 'The Kroger Co.', 'NYSE', 'Grocery Stores', 41 * B, 62, 16.2, 0.0225, 0.45, 7.0 * M],
  ],
  Energy: [
    ['XOM', 'Exxon Mobil Corporation', 'NYSE', 'Oil & Gas Integrated', 505 * B, 120, 17.0, 0.0343, 0.8, 15 * M],
    ['CVX', 'Chevron Corporation', 'NYSE', 'Oil & Gas Integrated', 300 * B, 152, 21.3, 0.045, 0.85, 8.0 * M],
    ['COP', 'ConocoPhillips', 'NYSE', 'Oil & Gas E&P', 112 * B, 90, 12.8, 0.0347, 0.9, 7.0 * M],
    ['EOG', 'EOG Resources, Inc.', 'NYSE', 'Oil & Gas E&P', 57 * B, 106, 10.4, 0.0385, 0.85, 3.5 * M],
    ['OXY', 'Occidental Petroleum Corporation', 'NYSE', 'Oil & Gas E&P', 41 * B, 41, 28.0, 0.0234, 1.0, 9.0 * M],
    ['SLB', 'SLB N.V.', 'NYSE', 'Oil & Gas Equipment & Services', 57 * B, 38, 14.9, 0.03, 1.0, 14 * M],
    ['MPC', 'Marathon Petroleum Corporation', 'NYSE', 'Oil & Gas Refining & Marketing', 50 * B, 165, 18.1, 0.024, 1.1, 2.3 * M],
  ],
  Financials: [
    ['JPM', 'JPMorgan Chase & Co.', 'NYSE', 'Banks - Diversified', 880 * B, 322, 16.0, 0.0186, 1.05, 9.0 * M],
    ['BAC', 'Bank of America Corporation', 'NYSE', 'Banks - Diversified', 405 * B, 55, 14.9, 0.0204, 1.3, 35 * M],
    ['WFC', 'Wells Fargo & Company', 'NYSE', 'Banks - Diversified', 295 * B, 93, 15.1, 0.0193, 1.15, 15 * M],
    ['C', 'Citigroup Inc.', 'NYSE', 'Banks - Diversified', 210 * B, 117, 16.2, 0.0205, 1.35, 14 * M],
    ['GS', 'The Goldman Sachs Group, Inc.', 'NYSE', 'Capital Markets', 270 * B, 880, 18.1, 0.0182, 1.35, 2.2 * M],
    ['MS', 'Morgan Stanley', 'NYSE', 'Capital Markets', 285 * B, 178, 18.3, 0.0225, 1.3, 6.0 * M],
    ['SCHW', 'The Charles Schwab Corporation', 'NYSE', 'Capital Markets', 178 * B, 100, 22.0, 0.0108, 0.95, 9.0 * M],
    ['BLK', 'BlackRock, Inc.', 'NYSE', 'Asset Management', 165 * B, 1070, 27.1, 0.0195, 1.25, 0.8 * M],
    ['BRK.B', 'Berkshire Hathaway Inc.', 'NYSE', 'Insurance - Diversified', 1.08 * T, 500, 16.1, null, 0.8, 4.5 * M],
    ['PGR', 'The Progressive Corporation', 'NYSE', 'Insurance - Property & Casualty', 134 * B, 228, 12.9, 0.0022, 0.4, 3.0 * M],
    ['V', 'Visa Inc.', 'NYSE', 'Credit Services', 680 * B, 350, 34.2, 0.0077, 0.9, 7.0 * M],
    ['MA', 'Mastercard Incorporated', 'NYSE', 'Credit Services', 520 * B, 570, 36.8, 0.0053, 1.0, 3.0 * M],
    ['AXP', 'American Express Company', 'NYSE', 'Credit Services', 255 * B, 370, 24.1, 0.0089, 1.25, 3.0 * M],
  ],
  'Health Care': [
    ['LLY', 'Eli Lilly and Company', 'NYSE', 'Drug Manufacturers - General', 960 * B, 1075, 52.4, 0.0056, 0.45, 3.5 * M],
    ['JNJ', 'Johnson & Johnson', 'NYSE', 'Drug Manufacturers - General', 500 * B, 207, 20.0, 0.0251, 0.4, 8.0 * M],
    ['ABBV', 'AbbVie Inc.', 'NYSE', 'Drug Manufacturers - General', 405 * B, 229, 170.0, 0.0302, 0.5, 6.0 * M],
    ['MRK', 'Merck & Co., Inc.', 'NYSE', 'Drug Manufacturers - General', 263 * B, 105, 13.9, 0.0324, 0.35, 12 * M],
    ['PFE', 'Pfizer Inc.', 'NYSE', 'Drug Manufacturers - General', 142 * B, 25, 14.3, 0.0688, 0.45, 35 * M],
    ['AMGN', 'Amgen Inc.', 'NASDAQ', 'Drug Manufacturers - General', 176 * B, 327, 25.2, 0.0291, 0.5, 2.5 * M],
    ['GILD', 'Gilead Sciences, Inc.', 'NASDAQ', 'Drug Manufacturers - General', 152 * B, 123, 19.1, 0.0257, 0.4, 7.0 * M],
    ['VRTX', 'Vertex Pharmaceuticals Incorporated', 'NASDAQ', 'Biotechnology', 116 * B, 455, 32.3, null, 0.4, 1.3 * M],
    ['MRNA', 'Moderna, Inc.', 'NASDAQ', 'Biotechnology', 11 * B, 29, null, null, 1.6, 12 * M],
    ['UNH', 'UnitedHealth Group Incorporated', 'NYSE', 'Healthcare Plans', 300 * B, 330, 17.2, 0.0268, 0.45, 10 * M],
    ['TMO', 'Thermo Fisher Scientific Inc.', 'NYSE', 'Diagnostics & Research', 220 * B, 580, 33.6, 0.003, 0.8, 2.0 * M],
    ['ABT', 'Abbott Laboratories', 'NYSE', 'Medical Devices', 218 * B, 125, 16.0, 0.0189, 0.7, 6.0 * M],
    ['ISRG', 'Intuitive Surgical, Inc.', 'NASDAQ', 'Medical Instruments & Supplies', 202 * B, 565, 77.0, null, 1.2, 1.8 * M],
  ],
  Industrials: [
    ['CAT', 'Caterpillar Inc.', 'NYSE', 'Farm & Heavy Construction Machinery', 270 * B, 575, 29.6, 0.0105, 1.15, 3.0 * M],
    ['DE', 'Deere & Company', 'NYSE', 'Farm & Heavy Construction Machinery', 126 * B, 466, 25.0, 0.0139, 0.95, 1.4 * M],
    ['GE', 'GE Aerospace', 'NYSE', 'Aerospace & Defense', 325 * B, 308, 41.0, 0.0047, 1.3, 5.5 * M],
    ['RTX', 'RTX Corporation', 'NYSE', 'Aerospace & Defense', 245 * B, 183, 37.2, 0.0149, 0.65, 5.0 * M],
    ['BA', 'The Boeing Company', 'NYSE', 'Aerospace & Defense', 165 * B, 217, null, null, 1.35, 8.0 * M],
    ['LMT', 'Lockheed Martin Corporation', 'NYSE', 'Aerospace & Defense', 112 * B, 485, 27.0, 0.0285, 0.35, 1.5 * M],
    ['HON', 'Honeywell International Inc.', 'NASDAQ', 'Conglomerates', 124 * B, 196, 20.3, 0.0235, 0.95, 4.0 * M],
    ['UNP', 'Union Pacific Corporation', 'NYSE', 'Railroads', 138 * B, 232, 19.8, 0.0238, 0.95, 3.0 * M],
    ['UPS', 'United Parcel Service, Inc.', 'NYSE', 'Integrated Freight & Logistics', 84 * B, 99, 15.2, 0.0662, 1.05, 7.0 * M],
    ['ADP', 'Automatic Data Processing, Inc.', 'NASDAQ', 'Staffing & Employment Services', 104 * B, 257, 25.8, 0.0264, 0.8, 2.0 * M],
  ],
  Materials: [
    ['LIN', 'Linde plc', 'NASDAQ', 'Specialty Chemicals', 200 * B, 427, 30.1, 0.014, 0.9, 2.0 * M],
    ['SHW', 'The Sherwin-Williams Company', 'NYSE', 'Specialty Chemicals', 81 * B, 325, 32.0, 0.0097, 1.15, 1.7 * M],
    ['ECL', 'Ecolab Inc.', 'NYSE', 'Specialty Chemicals', 74 * B, 263, 35.9, 0.0099, 1.0, 1.2 * M],
    ['DOW', 'Dow Inc.', 'NYSE', 'Chemicals', 17 * B, 24, null, 0.0583, 0.9, 20 * M],
    ['FCX', 'Freeport-McMoRan Inc.', 'NYSE', 'Copper', 72 * B, 50, 37.0, 0.012, 1.6, 14 * M],
    ['NEM', 'Newmont Corporation', 'NYSE', 'Gold', 110 * B, 100, 16.0, 0.01, 0.5, 10 * M],
    ['NUE', 'Nucor Corporation', 'NYSE', 'Steel', 37 * B, 163, 22.0, 0.0135, 1.55, 1.7 * M],
  ],
  'Real Estate': [
    ['PLD', 'Prologis, Inc.', 'NYSE', 'REIT - Industrial', 119 * B, 128, 36.1, 0.0316, 1.1, 3.5 * M],
    ['PSA', 'Public Storage', 'NYSE', 'REIT - Industrial', 46 * B, 262, 27.2, 0.0458, 0.75, 1.0 * M],
    ['AMT', 'American Tower Corporation', 'NYSE', 'REIT - Specialty', 82 * B, 176, 28.0, 0.0386, 0.85, 3.0 * M],
    ['EQIX', 'Equinix, Inc.', 'NASDAQ', 'REIT - Specialty', 75 * B, 770, 75.0, 0.0243, 0.9, 0.6 * M],
    ['O', 'Realty Income Corporation', 'NYSE', 'REIT - Retail', 52 * B, 57, 55.0, 0.0566, 0.8, 5.0 * M],
    ['SPG', 'Simon Property Group, Inc.', 'NYSE', 'REIT - Retail', 61 * B, 186, 28.0, 0.0472, 1.4, 1.4 * M],
    ['WELL', 'Welltower Inc.', 'NYSE', 'REIT - Healthcare Facilities', 128 * B, 187, 130.0, 0.0158, 0.85, 3.0 * M],
  ],
  Utilities: [
    ['NEE', 'NextEra Energy, Inc.', 'NYSE', 'Utilities - Regulated Electric', 166 * B, 80, 25.3, 0.0283, 0.65, 9.0 * M],
    ['SO', 'The Southern Company', 'NYSE', 'Utilities - Regulated Electric', 96 * B, 87, 22.0, 0.034, 0.45, 5.0 * M],
    ['DUK', 'Duke Energy Corporation', 'NYSE', 'Utilities - Regulated Electric', 91 * B, 117, 19.2, 0.0364, 0.45, 3.5 * M],
    ['D', 'Dominion Energy, Inc.', 'NYSE', 'Utilities - Regulated Electric', 50 * B, 59, 20.1, 0.0453, 0.65, 4.5 * M],
    ['AEP', 'American Electric Power Company, Inc.', 'NASDAQ', 'Utilities - Regulated Electric', 62 * B, 115, 17.0, 0.033, 0.5, 3.3 * M],
    ['EXC', 'Exelon Corporation', 'NASDAQ', 'Utilities - Regulated Electric', 44 * B, 44, 16.1, 0.0364, 0.55, 6.5 * M],
    ['CEG', 'Constellation Energy Corporation', 'NASDAQ', 'Utilities - Independent Power Producers', 112 * B, 355, 37.0, 0.0044, 1.1, 3.0 * M],
  ],
};

const US_COMPANIES: readonly SeedStock[] = SEED_SECTORS.flatMap((sector) =>
  ROWS[sector].map(
    ([symbol, name, exchange, industry, marketCap, price, peRatio, dividendYield, beta, avgVolume]): SeedStock => ({
      symbol,
      name,
      sector,
      industry,
      exchange,
      marketCap,
      price,
      peRatio,
      dividendYield,
      beta,
      eps: peRatio !== null ? Math.round((price / peRatio) * 100) / 100 : (LOSS_MAKER_EPS[symbol] ?? null),
      description: SEED_PROFILES[symbol]?.description ?? null,
      website: SEED_PROFILES[symbol]?.website ?? null,
      avgVolume,
    }),
  ),
);

/** Listed securities (the US companies, an ETF and a few listings in EUR and GBP): everything `stocks` lists. */
export const SEED_STOCKS: readonly SeedStock[] = [...US_COMPANIES, ...SEED_ETFS, ...SEED_LISTINGS_ABROAD];

/** Every row the seed can write to `stock`: the stocks, then the FX pairs their currencies need. */
export const SEED_UNIVERSE: readonly SeedStock[] = [...SEED_STOCKS, ...SEED_FX_PAIRS];

/**
 * Symbols the seed blacklists, so the rule is visible in a fresh database:
 * they stay in `stocks` (isBlacklisted: true) but no screener returns them and
 * no list accepts them.
 */
export const SEED_BLACKLIST: readonly { readonly symbol: string; readonly reason: string }[] = [
  { symbol: 'MO', reason: 'Example exclusion policy: tobacco producers are not offered (ESG screen).' },
  { symbol: 'PM', reason: 'Example exclusion policy: tobacco producers are not offered (ESG screen).' },
];
