import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from '../../graphql/type-graphql.js';
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
    description: 'Technical indicators at the latest daily candle they were computed for; null before the first.',
  })
  indicators(@Root() stock: Stock, @Ctx() ctx: Context): Promise<IndicatorPoint | null> {
    return ctx.loaders.indicator.latestBySymbol.load(stock.symbol);
  }

  @FieldResolver(() => [IndicatorPoint], {
    complexity: seriesCost,
    description: 'Indicators at each daily candle, oldest first: the latest `last` (1-1000, default 1000) within [from, to].',
  })
  indicatorSeries(
    @Root() stock: Stock,
    @Arg('last', () => Int, { nullable: true }) last: number | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<IndicatorPoint[]> {
    const args = parseInput(indicatorSeriesArgsSchema, { last, from, to });
    return ctx.loaders.indicator.series(args).load(stock.symbol);
  }
}
