// Yahoo Finance's chart endpoint:
//   GET {baseUrl}/v8/finance/chart/{symbol}?interval=1d|1h|1m&period1=<unix s>&period2=<unix s>
// History maps timestamp[] with indicators.quote[0].{open,high,low,close,volume}[]
// and indicators.adjclose[0].adjclose[]; rows with a null price are missing bars
// and are skipped. Quotes read meta.regularMarketPrice and meta.regularMarketTime.
// Fundamentals come from the quote endpoint:
//   GET {baseUrl}/v7/finance/quote?symbols=A,B,...
// quoteResponse.result[] with trailingPE, epsTrailingTwelveMonths, beta,
// trailingAnnualDividendYield (a fraction) and dividendYield (in percent).

import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, getJson, type RetryPolicy } from './http-json.js';
import {
  ProviderError,
  type CandleIntervalName,
  type FundamentalsSource,
  type HistoryCandle,
  type MarketDataProvider,
  type ReportedFundamentals,
  type Tick,
} from './market-data-provider.js';

export const DEFAULT_YAHOO_BASE_URL = 'https://query1.finance.yahoo.com';

const numbers = z.array(z.number().nullable()).optional();
const chartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z
            .object({
              regularMarketPrice: z.number().nullish(),
              regularMarketTime: z.number().nullish(),
              regularMarketVolume: z.number().nullish(),
              gmtoffset: z.number().nullish(),
            })
            .optional(),
          timestamp: z.array(z.number()).optional(),
          indicators: z
            .object({
              quote: z.array(z.object({ open: numbers, high: numbers, low: numbers, close: numbers, volume: numbers })).optional(),
              adjclose: z.array(z.object({ adjclose: numbers })).optional(),
            })
            .optional(),
        }),
      )
      .nullish(),
    error: z.object({ code: z.string().nullish(), description: z.string().nullish() }).nullish(),
  }),
});
type ChartResult = NonNullable<z.output<typeof chartSchema>['chart']['result']>[number];

const figure = z.number().finite().nullish();
const quoteSchema = z.object({
  quoteResponse: z.object({
    result: z
      .array(
        z.object({
          symbol: z.string(),
          trailingPE: figure,
          epsTrailingTwelveMonths: figure,
          trailingAnnualDividendYield: figure,
          dividendYield: figure,
          beta: figure,
        }),
      )
      .nullish(),
    error: z.object({ code: z.string().nullish(), description: z.string().nullish() }).nullish(),
  }),
});
type QuoteResult = NonNullable<z.output<typeof quoteSchema>['quoteResponse']['result']>[number];

/** Symbols per quote-endpoint request. */
const QUOTE_BATCH = 50;

const YAHOO_INTERVAL: Record<CandleIntervalName, string> = { MINUTE: '1m', HOUR: '1h', DAY: '1d' };
const DAY_SECONDS = 86_400;

export interface YahooProviderOptions {
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Parallel requests in quotes(). Default 4. */
  concurrency?: number;
  /** Our ticker to Yahoo's; default turns share-class dots into dashes (BRK.B -> BRK-B). */
  toYahooSymbol?: (symbol: string) => string;
  /** Told about each symbol quotes() could not fetch (the others are still returned). */
  onQuoteError?: (error: ProviderError) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Exact decimal text of a price Yahoo sends as a float (often float32 noise: 185.64000244140625 -> 185.64). */
export function priceText(value: number): string {
  return new Decimal(value).toDecimalPlaces(4).toString();
}

/** Exact decimal text of a ratio Yahoo sends as a float, or undefined when it sent none. */
function figureText(value: number | null | undefined, places: number): string | undefined {
  return value == null ? undefined : new Decimal(value).toDecimalPlaces(places).toString();
}

/** Our fundamentals from one quote-endpoint row; the dividend yield as a fraction, whichever field gave it. */
export function fundamentalsOf(symbol: string, row: QuoteResult): ReportedFundamentals {
  const yieldFraction =
    row.trailingAnnualDividendYield ?? (row.dividendYield == null ? null : new Decimal(row.dividendYield).div(100).toNumber());
  const reported: ReportedFundamentals = { symbol };
  const pe = figureText(row.trailingPE, 4);
  const eps = figureText(row.epsTrailingTwelveMonths, 4);
  const dividendYield = figureText(yieldFraction, 6);
  const beta = figureText(row.beta, 4);
  if (pe !== undefined) reported.peRatio = pe;
  if (eps !== undefined) reported.eps = eps;
  if (dividendYield !== undefined) reported.dividendYield = dividendYield;
  if (beta !== undefined) reported.beta = beta;
  return reported;
}

export class YahooProvider implements MarketDataProvider, FundamentalsSource {
  readonly name = 'yahoo';
  private readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  /** Last cumulative day volume and market time seen per symbol, to turn day totals into per-tick volume. */
  private readonly seen = new Map<string, { day: number; volume: number; time: number }>();

  constructor(private readonly options: YahooProviderOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_YAHOO_BASE_URL).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  private yahooSymbol(symbol: string): string {
    return (this.options.toYahooSymbol ?? ((s: string) => s.replace(/\./g, '-')))(symbol);
  }

  private async chart(symbol: string, query: Record<string, string>): Promise<ChartResult | null> {
    const yahooSymbol = this.yahooSymbol(symbol);
    const url = `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(yahooSymbol)}?${new URLSearchParams(query)}`;
    const { status, body } = await getJson(url, {
      provider: this.name,
      symbol,
      policy: this.policy,
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; marketgraph/0.1)' },
      sleep: this.options.sleep,
    });
    const parsed = chartSchema.safeParse(body);
    const error = parsed.success ? parsed.data.chart.error : null;
    if (error) {
      const what = [error.description, error.code && `(${error.code})`].filter(Boolean).join(' ');
      throw new ProviderError(this.name, `yahoo: ${symbol}: ${what || 'error without description'}`, { symbol, status });
    }
    if (status < 200 || status > 299) throw new ProviderError(this.name, `yahoo: ${symbol}: HTTP ${status}`, { symbol, status });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ProviderError(this.name, `yahoo: ${symbol}: unexpected response (${issue.path.join('.') || 'body'}: ${issue.message})`, { symbol, status });
    }
    return parsed.data.chart.result?.[0] ?? null;
  }

  async history(symbol: string, interval: CandleIntervalName, from: Date, to: Date): Promise<HistoryCandle[]> {
    if (from > to) return [];
    const start = Math.floor(from.getTime() / 1000);
    // A daily bar is stamped with its session's start, after the UTC midnight `to` names.
    const end = Math.floor(to.getTime() / 1000) + (interval === 'DAY' ? DAY_SECONDS : 1);
    // Yahoo serves at most 7 days of 1m bars per request.
    const window = interval === 'MINUTE' ? 7 * DAY_SECONDS : end - start;
    const candles: HistoryCandle[] = [];
    for (let period1 = start; period1 < end; period1 += window) {
      const period2 = Math.min(end, period1 + window);
      const result = await this.chart(symbol, { interval: YAHOO_INTERVAL[interval], period1: String(period1), period2: String(period2) });
      if (result) candles.push(...mapCandles(result, interval));
    }
    // Adjacent windows may both hold the bar on their boundary.
    const byTime = new Map(candles.filter((c) => c.ts >= from && c.ts <= to).map((c) => [c.ts.getTime(), c]));
    return [...byTime.values()];
  }

  async quotes(symbols: readonly string[]): Promise<Tick[]> {
    const unique = [...new Set(symbols)];
    const ticks: (Tick | null)[] = new Array(unique.length).fill(null);
    const failures: ProviderError[] = [];
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const index = next++;
        const symbol = unique[index]!;
        try {
          ticks[index] = this.tickOf(symbol, await this.chart(symbol, { interval: '1d', range: '1d' }));
        } catch (error) {
          const failure = error instanceof ProviderError ? error : new ProviderError(this.name, `yahoo: ${symbol}: ${String(error)}`, { symbol, cause: error });
          failures.push(failure);
          this.options.onQuoteError?.(failure);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, unique.length) }, worker));
    if (unique.length > 0 && failures.length === unique.length) throw failures[0]!;
    return ticks.filter((t): t is Tick => t !== null);
  }

  /** trailingPE, EPS, dividend yield and beta where the quote endpoint gives them, 50 symbols a request. */
  async fundamentals(symbols: readonly string[]): Promise<ReportedFundamentals[]> {
    const ours = new Map([...new Set(symbols)].map((symbol) => [this.yahooSymbol(symbol), symbol]));
    const yahooSymbols = [...ours.keys()];
    const reported: ReportedFundamentals[] = [];
    for (let i = 0; i < yahooSymbols.length; i += QUOTE_BATCH) {
      const batch = yahooSymbols.slice(i, i + QUOTE_BATCH);
      const url = `${this.baseUrl}/v7/finance/quote?${new URLSearchParams({ symbols: batch.join(',') })}`;
      const { status, body } = await getJson(url, {
        provider: this.name,
        policy: this.policy,
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; marketgraph/0.1)' },
        sleep: this.options.sleep,
      });
      const parsed = quoteSchema.safeParse(body);
      if (status < 200 || status > 299) throw new ProviderError(this.name, `yahoo: quote: HTTP ${status}`, { status });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ProviderError(this.name, `yahoo: quote: unexpected response (${issue.path.join('.') || 'body'}: ${issue.message})`, { status });
      }
      for (const row of parsed.data.quoteResponse.result ?? []) {
        const symbol = ours.get(row.symbol);
        if (symbol !== undefined) reported.push(fundamentalsOf(symbol, row));
      }
    }
    return reported;
  }

  /** A tick from the chart's meta, or null when there is no price or it has not moved on since the last one. */
  private tickOf(symbol: string, result: ChartResult | null): Tick | null {
    const meta = result?.meta;
    if (meta?.regularMarketPrice == null || meta.regularMarketTime == null) return null;
    const time = meta.regularMarketTime;
    const day = Math.floor((time + (meta.gmtoffset ?? 0)) / DAY_SECONDS);
    const cumulative = meta.regularMarketVolume ?? 0;
    const previous = this.seen.get(symbol);
    this.seen.set(symbol, { day, volume: cumulative, time });
    if (previous && previous.time === time) return null;
    // First sight: the day's earlier volume may already be stored, so count none of it.
    const volume = !previous ? 0 : previous.day === day ? Math.max(0, cumulative - previous.volume) : cumulative;
    return { symbol, price: priceText(meta.regularMarketPrice), volume: Math.round(volume), timestamp: new Date(time * 1000) };
  }
}

/** Rows of a chart result as candles; DAY bars are re-stamped at UTC midnight of their exchange-local date. */
export function mapCandles(result: ChartResult, interval: CandleIntervalName): HistoryCandle[] {
  const timestamps = result.timestamp ?? [];
  const quote = result.indicators?.quote?.[0];
  const adjclose = result.indicators?.adjclose?.[0]?.adjclose;
  const offset = result.meta?.gmtoffset ?? 0;
  const candles: HistoryCandle[] = [];
  timestamps.forEach((seconds, i) => {
    const [open, high, low, close] = [quote?.open?.[i], quote?.high?.[i], quote?.low?.[i], quote?.close?.[i]];
    if (open == null || high == null || low == null || close == null) return;
    const adj = adjclose?.[i];
    const ts = interval === 'DAY' ? new Date(Math.floor((seconds + offset) / DAY_SECONDS) * DAY_SECONDS * 1000) : new Date(seconds * 1000);
    candles.push({
      ts,
      open: priceText(open),
      high: priceText(high),
      low: priceText(low),
      close: priceText(close),
      adjClose: adj == null ? null : priceText(adj),
      volume: String(Math.max(0, Math.round(quote?.volume?.[i] ?? 0))),
    });
  });
  return candles;
}
