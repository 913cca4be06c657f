import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from '../../graphql/type-graphql.js';
import { DateOrDateTimeScalar } from '../../graphql/date-input.js';
import { parseInput } from '../../graphql/validate.js';
import { rowsCost, seriesRows, type ComplexityEstimatorArgs } from '../../graphql/guards/index.js';
import { Stock } from '../stock/stock.type.js';
import { IndicatorPoint } from './indicator.type.js';
import { indicatorSeriesArgsSchema, MAX_INDICATOR_POINTS } from './indicator.validation.js';

/** Cost: the daily points it returns (`last`, or the days between from and to) times the cost of one. */
const seriesCost = ({ args, childComplexity }: ComplexityEstimatorArgs) =>
  rowsCost(seriesRows(args, MAX_INDICATOR_POINTS, 86_400_000), childComplexity);

@Resolver(() => Stock)
export class StockIndicatorsResolver {
  @FieldResolver(() => IndicatorPoint, {
    nullable: true,
    description:
      'Technical indicators at the latest daily candle (computed from the candles on demand while the stored history is ' +
      'still being filled in); null for a stock with no daily candle.',
  })
  indicators(@Root() stock: Stock, @Ctx() ctx: Context): Promise<IndicatorPoint | null> {
    return ctx.loaders.indicator.latestBySymbol.load(stock.symbol);
  }

  @FieldResolver(() => [IndicatorPoint], {
    complexity: seriesCost,
    description:
      'Indicators at each daily candle, oldest first: the latest `last` (1-1000, default 1000) within [from, to] (a date ' +
      'alone is the start of that day in UTC). One point per stored daily candle.',
  })
  indicatorSeries(
    @Root() stock: Stock,
    @Arg('last', () => Int, { nullable: true }) last: number | null,
    @Arg('from', () => DateOrDateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateOrDateTimeScalar, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<IndicatorPoint[]> {
    const args = parseInput(indicatorSeriesArgsSchema, { last, from, to });
    return ctx.loaders.indicator.series(args).load(stock.symbol);
  }
}
