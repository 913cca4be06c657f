import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Directive } from '../../graphql/type-graphql.js';
import { cacheHint } from '../../graphql/cache-control.js';
import type { Context } from '../../composition/context.js';
import { parseInput } from '../../graphql/validate.js';
import { StockConnection } from '../stock/stock.connection.js';
import { ScreenerInput, ScreenerSort } from './screener.inputs.js';
import {
  CategoricalCriterion,
  CategoricalFilter,
  NumericCriterion,
  NumericFilter,
  Screener,
} from './screener.type.js';
import { resultsArgsSchema, runScreenerSchema } from './screener.validation.js';
import { pageCost, type ComplexityEstimatorArgs } from '../../graphql/guards/index.js';

/** Cost: its page (`input.first`) times the cost of one row. */
const runScreenerCost = ({ args, childComplexity }: ComplexityEstimatorArgs) =>
  pageCost((args.input as { first?: unknown } | undefined)?.first, childComplexity);

@Resolver(() => Screener)
export class ScreenerResolver {
  @Query(() => [Screener], { description: 'The predefined screeners.' })
  screeners(@Ctx() ctx: Context): Promise<Screener[]> {
    return ctx.services.screeners.screeners();
  }

  @Query(() => [NumericFilter], { description: 'Numeric filters criteria can bound.' })
  numericFilters(@Ctx() ctx: Context): Promise<NumericFilter[]> {
    return ctx.services.screeners.numericFilters();
  }

  @Query(() => [CategoricalFilter], { description: 'Categorical filters criteria can pick values of.' })
  categoricalFilters(@Ctx() ctx: Context): Promise<CategoricalFilter[]> {
    return ctx.services.screeners.categoricalFilters();
  }

  // Its rows and order follow every symbol's ticks, not only the listed ones': not cached (StockConnection's hint would say 60 s).
  @Directive(cacheHint(0))
  @Query(() => StockConnection, {
    complexity: runScreenerCost,
    description: 'Active, non-blacklisted stocks meeting every criterion, in `sort` order (default MARKET_CAP DESC).',
  })
  runScreener(@Arg('input', () => ScreenerInput) input: ScreenerInput, @Ctx() ctx: Context): Promise<StockConnection> {
    return ctx.services.screeners.runInput(parseInput(runScreenerSchema, input));
  }

  @FieldResolver(() => [NumericCriterion])
  async numeric(@Root() screener: Screener, @Ctx() ctx: Context): Promise<NumericCriterion[]> {
    const criteria = await ctx.services.screeners.predefinedCriteria(screener);
    return criteria.numeric.map((c) => ({ filterId: c.filter.id, min: c.min, max: c.max }));
  }

  @FieldResolver(() => [CategoricalCriterion])
  async categorical(@Root() screener: Screener, @Ctx() ctx: Context): Promise<CategoricalCriterion[]> {
    const criteria = await ctx.services.screeners.predefinedCriteria(screener);
    return criteria.categorical.map((c) => ({ filterId: c.filter.id, values: c.values }));
  }

  @Directive(cacheHint(0))
  @FieldResolver(() => StockConnection, { description: 'Stocks meeting the criteria now (first: 1-100, default 20).' })
  async results(
    @Root() screener: Screener,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('sort', () => ScreenerSort, { nullable: true }) sort: ScreenerSort | null,
    @Ctx() ctx: Context,
  ): Promise<StockConnection> {
    const page = parseInput(resultsArgsSchema, { first, after, sort });
    return ctx.services.screeners.run(await ctx.services.screeners.predefinedCriteria(screener), page);
  }
}

@Resolver(() => NumericCriterion)
export class NumericCriterionResolver {
  @FieldResolver(() => NumericFilter)
  filter(@Root() criterion: NumericCriterion, @Ctx() ctx: Context): Promise<NumericFilter> {
    return ctx.services.screeners.numericFilter(criterion.filterId);
  }
}

@Resolver(() => CategoricalCriterion)
export class CategoricalCriterionResolver {
  @FieldResolver(() => CategoricalFilter)
  filter(@Root() criterion: CategoricalCriterion, @Ctx() ctx: Context): Promise<CategoricalFilter> {
    return ctx.services.screeners.categoricalFilter(criterion.filterId);
  }
}
