import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root, Directive } from '../../graphql/type-graphql.js';
import { CACHE_SECONDS, cacheHint } from '../../graphql/cache-control.js';
import type { Context } from '../../composition/context.js';
import { DateOrDateTimeScalar } from '../../graphql/date-input.js';
import { parseInput } from '../../graphql/validate.js';
import { rowsCost, seriesRows, type ComplexityEstimatorArgs } from '../../graphql/guards/index.js';
import { StockConnection, StockFilter } from './stock.connection.js';
import { Candle, CandleInterval, Quote, Stock } from './stock.type.js';
import { candlesArgsSchema, MAX_CANDLES, stocksArgsSchema, symbolSchema } from './stock.validation.js';

const MS_PER_CANDLE: Record<string, number> = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 28 * 86_400_000 };

/** Cost: the candles it returns (`last`, or the span of from/to in its interval) times the cost of one. */
const candlesCost = ({ args, childComplexity }: ComplexityEstimatorArgs) =>
  rowsCost(seriesRows(args, MAX_CANDLES, MS_PER_CANDLE[String(args.interval)] ?? MS_PER_CANDLE.DAY!), childComplexity);

@Resolver(() => Stock)
export class StockResolver {
  @Query(() => Stock, { nullable: true, description: 'One stock (or FX pair, assetClass FX) by ticker; null when no such symbol is listed.' })
  stock(@Arg('symbol', () => String) symbol: string, @Ctx() ctx: Context): Stock | null | Promise<Stock | null> {
    return ctx.services.stocks.findBySymbolNow(parseInput(symbolSchema, symbol, 'symbol'));
  }

  @Query(() => StockConnection, { description: 'Active stocks and ETFs (never FX pairs) ordered by symbol, a page at a time (first: 1-100, default 20).' })
  stocks(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => StockFilter, { nullable: true }) filter: StockFilter | null,
    @Ctx() ctx: Context,
  ): Promise<StockConnection> {
    return ctx.services.stocks.list(parseInput(stocksArgsSchema, { first, after, filter }));
  }

  @FieldResolver(() => Quote, { nullable: true, description: 'Latest price; null before the first candle.' })
  quote(@Root() stock: Stock, @Ctx() ctx: Context): Promise<Quote | null> {
    return ctx.loaders.stock.quoteBySymbol.load(stock.symbol);
  }

  @FieldResolver(() => Boolean, { description: 'Excluded from screeners and watchlists.' })
  isBlacklisted(@Root() stock: Stock, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.loaders.stock.isBlacklisted.load(stock.symbol);
  }

  @Directive(cacheHint(CACHE_SECONDS.tick))
  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Highest high of the DAY candles in the last 52 weeks (today included); null without candles. Derived from stock_price.',
  })
  async fiftyTwoWeekHigh(@Root() stock: Stock, @Ctx() ctx: Context): Promise<number | null> {
    return (await ctx.loaders.stock.sessionStats.load(stock.symbol)).fiftyTwoWeekHigh;
  }

  @Directive(cacheHint(CACHE_SECONDS.tick))
  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Lowest low of the DAY candles in the last 52 weeks (today included); null without candles. Derived from stock_price.',
  })
  async fiftyTwoWeekLow(@Root() stock: Stock, @Ctx() ctx: Context): Promise<number | null> {
    return (await ctx.loaders.stock.sessionStats.load(stock.symbol)).fiftyTwoWeekLow;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "Mean shares traded per session over the last 20 complete New York sessions (today's partial session excluded), " +
      'rounded to a whole share; fewer sessions when the history is shorter, null without any. Derived from stock_price.',
  })
  async averageVolume(@Root() stock: Stock, @Ctx() ctx: Context): Promise<number | null> {
    return (await ctx.loaders.stock.sessionStats.load(stock.symbol)).averageVolume;
  }

  @FieldResolver(() => [Candle], {
    complexity: candlesCost,
    description:
      'Candles oldest first: the latest `last` (1-1000, default 1000) starting within [from, to]; a date alone is the start ' +
      'of that day in UTC. An interval with no candles gives an empty list; a longer range is capped at `last` (the newest).',
  })
  candles(
    @Root() stock: Stock,
    @Arg('interval', () => CandleInterval, { defaultValue: CandleInterval.DAY }) interval: CandleInterval,
    @Arg('from', () => DateOrDateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateOrDateTimeScalar, { nullable: true }) to: Date | null,
    @Arg('last', () => Int, { nullable: true }) last: number | null,
    @Ctx() ctx: Context,
  ): Promise<Candle[]> {
    const args = parseInput(candlesArgsSchema, { interval, from, to, last });
    return ctx.loaders.stock.candles(args).load(stock.symbol);
  }
}

@Resolver(() => StockConnection)
export class StockConnectionResolver {
  @FieldResolver(() => Int, { description: 'How many stocks match the filter, over all pages.' })
  totalCount(@Root() connection: StockConnection): Promise<number> {
    return connection.countMatches();
  }
}
