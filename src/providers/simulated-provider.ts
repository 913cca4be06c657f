// The embedded default's live feed: a deterministic random walk per symbol that
// continues from the last stored close, one tick per symbol per call, with a
// U-shaped intraday volume profile. History comes from the seed's price path.

import { hashString, normalAt } from '../db/seed/random.js';
import { generateDailyCandles, returnModel } from '../db/seed/price-path.js';
import { SEED_UNIVERSE, type SeedStock } from '../db/seed/stocks.data.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import type { CandleIntervalName, HistoryCandle, MarketDataProvider, Tick } from './market-data-provider.js';
import { intradayBars, intradayVolumeShape, SESSION_MINUTES, sessionFraction } from './simulated-intraday.js';

export interface SimulatedProviderOptions {
  /** Same seed, same starting prices, same clock: the same ticks. Default "marketgraph". */
  seed?: string;
  /** Seconds between calls, which scales each tick's volatility and volume. Default 5. */
  tickSeconds?: number;
  /** The clock stamped on ticks. Default the wall clock. */
  now?: () => Date;
}

interface SymbolState {
  price: number;
  step: number;
  readonly seed: number;
  /** standard deviation of one tick's log return */
  readonly tickVol: number;
  /** shares per regular session */
  readonly dailyVolume: number;
}

// FX pairs included: they tick with their own (much lower) volatility.
const SEED_BY_SYMBOL = new Map(SEED_UNIVERSE.map((s) => [s.symbol, s]));
const DEFAULT_DAILY_VOL = 0.02;
const DEFAULT_DAILY_VOLUME = 2_000_000;
/** Relative volume outside the regular session (pre-market, after hours). */
const OFF_HOURS_VOLUME = 0.02;
const STREAM_PRICE = 0;
const STREAM_VOLUME = 1;
const MIN_PRICE = 0.01;

/** Seed-universe parameters, or plausible defaults for a symbol outside it. */
function profileOf(symbol: string, price: number): SeedStock {
  return (
    SEED_BY_SYMBOL.get(symbol) ?? {
      symbol,
      name: symbol,
      sector: 'Technology',
      industry: 'Unknown',
      exchange: 'NYSE',
      marketCap: 0,
      price,
      peRatio: null,
      dividendYield: null,
      eps: null,
      description: null,
      website: null,
      beta: 1,
      avgVolume: DEFAULT_DAILY_VOLUME,
    }
  );
}

export class SimulatedProvider implements MarketDataProvider {
  readonly name = 'simulated';
  private readonly states = new Map<string, SymbolState>();
  private readonly seed: string;
  private readonly tickSeconds: number;
  private readonly now: () => Date;

  /** `startPrices`: the last stored close of each symbol; symbols without a positive one get no ticks. */
  constructor(startPrices: ReadonlyMap<string, string | number>, options: SimulatedProviderOptions = {}) {
    this.seed = options.seed ?? 'marketgraph';
    this.tickSeconds = options.tickSeconds ?? 5;
    this.now = options.now ?? (() => new Date());
    for (const [symbol, price] of startPrices) if (Number(price) > 0) this.setStartPrice(symbol, Number(price));
  }

  /** Reads the latest DAY close of each symbol in one query and starts the walk there. */
  static async fromDatabase(sql: SqlExecutor, symbols: readonly string[], options: SimulatedProviderOptions = {}): Promise<SimulatedProvider> {
    const rows = symbols.length === 0 ? [] : await sql.query<{ symbol: string; close: string | number }>(
      `SELECT s.symbol, p.close::text AS close
       FROM unnest($1::varchar[]) AS s(symbol)
       CROSS JOIN LATERAL (
         SELECT close FROM stock_price
         WHERE symbol = s.symbol AND interval = 'DAY'::candle_interval
         ORDER BY ts DESC LIMIT 1
       ) p`,
      [[...symbols]],
    );
    return new SimulatedProvider(new Map(rows.map((r) => [r.symbol, r.close])), options);
  }

  /** Starts (or restarts) a symbol's walk at `price`. */
  setStartPrice(symbol: string, price: number): void {
    if (!(price > 0)) throw new RangeError(`start price of ${symbol} must be positive, got ${price}`);
    const profile = profileOf(symbol, price);
    const dailyVol = SEED_BY_SYMBOL.has(symbol) ? returnModel(profile).dailyVol : DEFAULT_DAILY_VOL;
    const sessionSeconds = SESSION_MINUTES * 60;
    this.states.set(symbol, {
      price: Number(price.toFixed(4)),
      step: 0,
      seed: hashString(`simulated:${this.seed}:${symbol}`),
      tickVol: dailyVol * Math.sqrt(this.tickSeconds / sessionSeconds),
      dailyVolume: profile.avgVolume,
    });
  }

  /** The price the next tick of `symbol` starts from (the last one emitted, or the start price). */
  lastPrice(symbol: string): number | undefined {
    return this.states.get(symbol)?.price;
  }

  async quotes(symbols: readonly string[]): Promise<Tick[]> {
    const timestamp = this.now();
    const fraction = sessionFraction(timestamp);
    const shape = fraction === null ? OFF_HOURS_VOLUME : intradayVolumeShape(fraction);
    const share = this.tickSeconds / (SESSION_MINUTES * 60);
    const ticks: Tick[] = [];
    for (const symbol of new Set(symbols)) {
      const state = this.states.get(symbol);
      if (!state) continue;
      state.step += 1;
      const z = normalAt(state.seed, state.step, STREAM_PRICE);
      const next = state.price * Math.exp(state.tickVol * z - (state.tickVol * state.tickVol) / 2);
      state.price = Math.max(MIN_PRICE, Number(next.toFixed(4)));
      // Lognormal noise with mean 1; bigger moves trade more.
      const noise = Math.exp(0.5 * normalAt(state.seed, state.step, STREAM_VOLUME) - 0.125);
      const volume = Math.round(state.dailyVolume * share * shape * noise * (0.6 + 0.4 * z * z));
      ticks.push({ symbol, price: state.price.toFixed(4), volume, timestamp: new Date(timestamp) });
    }
    return ticks;
  }

  async history(symbol: string, interval: CandleIntervalName, from: Date, to: Date): Promise<HistoryCandle[]> {
    if (from > to) return [];
    const start = this.states.get(symbol)?.price ?? 100;
    const profile = profileOf(symbol, start);
    // Whole days around the range; intraday bars are then cut to [from, to].
    const dayFrom = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
    const days = generateDailyCandles(profile, dayFrom, to);
    if (interval === 'DAY') {
      return days
        .filter((d) => d.ts >= from && d.ts <= to)
        .map((d) => ({ ts: d.ts, open: d.open, high: d.high, low: d.low, close: d.close, adjClose: d.adjClose, volume: d.volume.toString() }));
    }
    const seed = hashString(`stock:${symbol}`);
    return days.flatMap((d) => intradayBars(d, seed, interval === 'HOUR' ? 60 : 1)).filter((b) => b.ts >= from && b.ts <= to);
  }
}
