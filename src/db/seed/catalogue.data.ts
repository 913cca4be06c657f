// Filter catalogue (numeric_filter, categorical_filter) and predefined
// screeners (screener). column_name values are the whitelist the screener
// compiles SQL from; 'close' is the latest DAY candle's, 'volume' the last
// complete New York session's, 'average_volume' the mean over the last 20
// complete sessions (never today's partial candle; see screener.sql.ts).

import { SEED_STOCKS, type SeedStock } from './stocks.data.js';

export interface SeedNumericFilter {
  readonly key: string;
  readonly label: string;
  readonly columnName: string;
  readonly unit: string;
  /** decimal strings (numeric(24,6) in the DB); null = unbounded */
  readonly minValue: string | null;
  readonly maxValue: string | null;
}

export interface SeedCategoricalFilter {
  readonly key: string;
  readonly label: string;
  readonly columnName: string;
  readonly options: readonly string[];
}

export interface ScreenerNumericCriterion {
  readonly filterKey: string;
  readonly min?: number;
  readonly max?: number;
}

export interface ScreenerCategoricalCriterion {
  readonly filterKey: string;
  readonly values: readonly string[];
}

/** Shape of screener.criteria (jsonb). */
export interface ScreenerCriteria {
  readonly numeric: readonly ScreenerNumericCriterion[];
  readonly categorical: readonly ScreenerCategoricalCriterion[];
}

export interface SeedScreener {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly criteria: ScreenerCriteria;
}

export const SEED_NUMERIC_FILTERS: readonly SeedNumericFilter[] = [
  { key: 'market_cap', label: 'Market cap', columnName: 'market_cap', unit: 'USD', minValue: '0', maxValue: '10000000000000' },
  { key: 'pe_ratio', label: 'P/E ratio', columnName: 'pe_ratio', unit: 'ratio', minValue: '0', maxValue: '1000' },
  { key: 'dividend_yield', label: 'Dividend yield', columnName: 'dividend_yield', unit: 'fraction', minValue: '0', maxValue: '0.25' },
  { key: 'price', label: 'Price', columnName: 'close', unit: 'USD', minValue: '0', maxValue: '100000' },
  { key: 'volume', label: 'Volume (last session)', columnName: 'volume', unit: 'shares', minValue: '0', maxValue: '10000000000' },
  { key: 'eps', label: 'EPS (trailing 12 months)', columnName: 'eps', unit: 'USD', minValue: '-1000', maxValue: '10000' },
  { key: 'beta', label: 'Beta', columnName: 'beta', unit: 'ratio', minValue: '-5', maxValue: '5' },
  { key: 'average_volume', label: 'Average volume (20 sessions)', columnName: 'average_volume', unit: 'shares', minValue: '0', maxValue: '10000000000' },
];

function distinctSorted(pick: (s: SeedStock) => string): string[] {
  return [...new Set(SEED_STOCKS.map(pick))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const SEED_CATEGORICAL_FILTERS: readonly SeedCategoricalFilter[] = [
  { key: 'sector', label: 'Sector', columnName: 'sector', options: distinctSorted((s) => s.sector) },
  { key: 'industry', label: 'Industry', columnName: 'industry', options: distinctSorted((s) => s.industry) },
  { key: 'exchange', label: 'Exchange', columnName: 'exchange', options: distinctSorted((s) => s.exchange) },
];

export const SEED_SCREENERS: readonly SeedScreener[] = [
  {
    key: 'mega_caps',
    name: 'Mega caps',
    description: 'Companies worth at least $200 billion.',
    criteria: { numeric: [{ filterKey: 'market_cap', min: 200_000_000_000 }], categorical: [] },
  },
  {
    key: 'large_cap_tech',
    name: 'Large-cap tech',
    description: 'Technology companies worth at least $10 billion.',
    criteria: {
      numeric: [{ filterKey: 'market_cap', min: 10_000_000_000 }],
      categorical: [{ filterKey: 'sector', values: ['Technology'] }],
    },
  },
  {
    key: 'value',
    name: 'Value',
    description: 'Profitable companies trading below 15 times earnings.',
    criteria: { numeric: [{ filterKey: 'pe_ratio', min: 0, max: 15 }], categorical: [] },
  },
  {
    key: 'dividend_payers',
    name: 'Dividend payers',
    description: 'Dividend yield of 3% or more.',
    criteria: { numeric: [{ filterKey: 'dividend_yield', min: 0.03 }], categorical: [] },
  },
  {
    key: 'healthcare_leaders',
    name: 'Healthcare leaders',
    description: 'Health care companies worth at least $100 billion.',
    criteria: {
      numeric: [{ filterKey: 'market_cap', min: 100_000_000_000 }],
      categorical: [{ filterKey: 'sector', values: ['Health Care'] }],
    },
  },
  {
    key: 'defensive_income',
    name: 'Defensive income',
    description: 'Consumer staples and utilities yielding at least 2.5%.',
    criteria: {
      numeric: [{ filterKey: 'dividend_yield', min: 0.025 }],
      categorical: [{ filterKey: 'sector', values: ['Consumer Staples', 'Utilities'] }],
    },
  },
  {
    key: 'most_active',
    name: 'Most active',
    description: 'Stocks that traded at least 20 million shares in the last complete session.',
    criteria: { numeric: [{ filterKey: 'volume', min: 20_000_000 }], categorical: [] },
  },
  {
    key: 'low_volatility_earners',
    name: 'Low-volatility earners',
    description: 'Profitable companies (positive trailing EPS) with a beta of 0.6 or less.',
    criteria: { numeric: [{ filterKey: 'eps', min: 0.01 }, { filterKey: 'beta', max: 0.6 }], categorical: [] },
  },
  {
    key: 'nasdaq_under_100',
    name: 'Nasdaq under $100',
    description: 'Nasdaq-listed stocks whose latest close is below $100.',
    criteria: {
      numeric: [{ filterKey: 'price', max: 100 }],
      categorical: [{ filterKey: 'exchange', values: ['NASDAQ'] }],
    },
  },
];
