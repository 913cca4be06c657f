import type { Context } from '../../composition/context.js';
import { rowsCost, type ComplexityEstimatorArgs } from '../../graphql/guards/cost.js';
import { Arg, Ctx, FieldResolver, Resolver, Root } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { symbolSchema } from '../stock/stock.validation.js';
import { AllocationBy, AllocationSlice, Performance, PerformanceRangeEnum, Risk } from './analytics.type.js';
import { Portfolio } from './portfolio.type.js';
import { RANGE_POINTS, type PerformanceRange } from './value-history.js';

const DEFAULT_RANGE = PerformanceRangeEnum.ONE_YEAR;
const DEFAULT_BENCHMARK = 'SPY';

/** A range reads one day of books and closes per point, whether or not the series is selected. */
const rangeCost = ({ args, childComplexity }: ComplexityEstimatorArgs) =>
  rowsCost(RANGE_POINTS[(args.range as PerformanceRange | undefined) ?? DEFAULT_RANGE], 0) + childComplexity;

@Resolver(() => Portfolio)
export class PortfolioAnalyticsResolver {
  @FieldResolver(() => Performance, { description: 'Returns over a range against a benchmark (a listed symbol). See README “Performance and risk”.', complexity: rangeCost })
  performance(
    @Root() portfolio: Portfolio,
    @Arg('range', () => PerformanceRangeEnum, { defaultValue: DEFAULT_RANGE }) range: PerformanceRangeEnum,
    @Arg('benchmark', () => String, { defaultValue: DEFAULT_BENCHMARK }) benchmark: string,
    @Ctx() ctx: Context,
  ): Promise<Performance> {
    return ctx.services.analytics.performance(portfolio, range, parseInput(symbolSchema, benchmark, 'benchmark'));
  }

  @FieldResolver(() => Risk, { description: 'Risk of the daily time-weighted returns over a range.', complexity: rangeCost })
  risk(
    @Root() portfolio: Portfolio,
    @Arg('range', () => PerformanceRangeEnum, { defaultValue: DEFAULT_RANGE }) range: PerformanceRangeEnum,
    @Arg('benchmark', () => String, { defaultValue: DEFAULT_BENCHMARK }) benchmark: string,
    @Ctx() ctx: Context,
  ): Promise<Risk> {
    return ctx.services.analytics.risk(portfolio, range, parseInput(symbolSchema, benchmark, 'benchmark'));
  }

  // One slice per holding at most: counted like positions (50 rows).
  @FieldResolver(() => [AllocationSlice], { description: 'The value by sector, symbol, currency or asset class, cash included; largest first.', complexity: ({ childComplexity }) => rowsCost(50, childComplexity) })
  allocation(@Root() portfolio: Portfolio, @Arg('by', () => AllocationBy) by: AllocationBy, @Ctx() ctx: Context): Promise<AllocationSlice[]> {
    return ctx.services.analytics.allocation(portfolio, by);
  }
}
