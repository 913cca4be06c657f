// Market data sources behind one small interface: the live ingest job asks for
// quotes, backfills ask for history. Prices cross this boundary as decimal text
// so that nothing on the way to the DECIMAL columns is a binary float.

export type CandleIntervalName = 'MINUTE' | 'HOUR' | 'DAY';

export const MARKET_DATA_PROVIDER_NAMES = ['simulated', 'yahoo', 'csv'] as const;
export type MarketDataProviderName = (typeof MARKET_DATA_PROVIDER_NAMES)[number];

/** One observed trade price. */
export interface Tick {
  symbol: string;
  /** decimal text, e.g. "187.2500" */
  price: string;
  /** shares traded since the previous tick of this symbol (0 when unknown) */
  volume: number;
  timestamp: Date;
}

/** One historical bar, as the source reports it. */
export interface HistoryCandle {
  /** start of the bar; UTC midnight of the trading date for DAY */
  ts: Date;
  /** decimal text */
  open: string;
  high: string;
  low: string;
  close: string;
  adjClose: string | null;
  /** integer text */
  volume: string;
}

export interface MarketDataProvider {
  /** Stored in stock_price.source (at most 20 characters). */
  readonly name: string;
  /** At most one tick per requested symbol; symbols the source knows nothing about are left out. */
  quotes(symbols: readonly string[]): Promise<Tick[]>;
  /** Bars with from <= ts <= to, oldest first; [] when there are none. */
  history(symbol: string, interval: CandleIntervalName, from: Date, to: Date): Promise<HistoryCandle[]>;
}

/**
 * Fundamentals a source reports for one symbol: decimal text, or undefined where the source said
 * nothing (the stored value is then kept). dividendYield is a fraction (0.0044 = 0.44%).
 */
export interface ReportedFundamentals {
  symbol: string;
  peRatio?: string;
  eps?: string;
  dividendYield?: string;
  beta?: string;
}

/** A source that also reports fundamentals (Yahoo's quote endpoint). */
export interface FundamentalsSource {
  /** At most one entry per requested symbol; symbols the source knows nothing about are left out. */
  fundamentals(symbols: readonly string[]): Promise<ReportedFundamentals[]>;
}

export function isFundamentalsSource(provider: MarketDataProvider): provider is MarketDataProvider & FundamentalsSource {
  return typeof (provider as Partial<FundamentalsSource>).fundamentals === 'function';
}

/** A history row from a bulk source, or why a row of it was rejected. */
export type HistoryRecord =
  | { kind: 'candle'; symbol: string; candle: HistoryCandle; line?: number }
  | { kind: 'problem'; line?: number; symbol?: string; reason: string };

/**
 * A source that reads many symbols in one pass (a CSV file) and reports bad
 * rows instead of failing. backfill() prefers this over per-symbol history().
 */
export interface BulkHistorySource {
  /** Records in file order; rows of symbols outside `symbols` (when given) come back as problems. */
  records(symbols: ReadonlySet<string> | null, interval: CandleIntervalName): AsyncIterable<HistoryRecord>;
  /** records() in batches, when the source can: no await per row. */
  recordBatches?(symbols: ReadonlySet<string> | null, interval: CandleIntervalName): AsyncIterable<HistoryRecord[]>;
  /** True when records() checks every candle as strictly as ingestion's candleProblem (it is then not checked again). */
  readonly validatesCandles?: boolean;
}

export function isBulkHistorySource(provider: MarketDataProvider): provider is MarketDataProvider & BulkHistorySource {
  return typeof (provider as Partial<BulkHistorySource>).records === 'function';
}

/** A provider failure with enough context to log or report: which provider, which symbol, what happened. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly provider: string,
    message: string,
    readonly details: { symbol?: string; status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
  get symbol(): string | undefined {
    return this.details.symbol;
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
}
