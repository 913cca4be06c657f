import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from '../../graphql/type-graphql.js';
import { requireViewer } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { uuidIdSchema } from '../../graphql/ids.js';
import { parseInput } from '../../graphql/validate.js';
import { StockConnection } from '../stock/stock.connection.js';
import { CustomScreenerInput, ScreenerSort } from './screener.inputs.js';
import { CategoricalCriterion, CustomScreener, NumericCriterion } from './screener.type.js';
import { customScreenerInputSchema, resultsArgsSchema } from './screener.validation.js';

/** Signed-in users only; another user's screener answers NOT_FOUND, exactly like an unknown id. */
@Resolver(() => CustomScreener)
export class CustomScreenerResolver {
  @Query(() => [CustomScreener], { description: "The signed-in user's screeners, oldest first." })
  myScreeners(@Ctx() ctx: Context): Promise<CustomScreener[]> {
    return ctx.services.customScreeners.list(requireViewer(ctx).accountId);
  }

  @Query(() => CustomScreener, { description: 'One of your screeners; NOT_FOUND for any other id.' })
  customScreener(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CustomScreener> {
    const { accountId } = requireViewer(ctx);
    return ctx.services.customScreeners.get(accountId, parseInput(uuidIdSchema, id, 'id'));
  }

  @Mutation(() => CustomScreener, { description: 'Saves a screener; its filters are checked against the catalogue.' })
  createCustomScreener(
    @Arg('input', () => CustomScreenerInput) input: CustomScreenerInput,
    @Ctx() ctx: Context,
  ): Promise<CustomScreener> {
    const { accountId } = requireViewer(ctx);
    return ctx.services.customScreeners.create(accountId, parseInput(customScreenerInputSchema, input));
  }

  @Mutation(() => CustomScreener, { description: 'Renames a screener and replaces all its criteria.' })
  updateCustomScreener(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomScreenerInput) input: CustomScreenerInput,
    @Ctx() ctx: Context,
  ): Promise<CustomScreener> {
    const { accountId } = requireViewer(ctx);
    return ctx.services.customScreeners.update(accountId, parseInput(uuidIdSchema, id, 'id'), parseInput(customScreenerInputSchema, input));
  }

  @Mutation(() => Boolean, { description: 'Deletes a screener with its criteria; true when done.' })
  deleteCustomScreener(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const { accountId } = requireViewer(ctx);
    return ctx.services.customScreeners.delete(accountId, parseInput(uuidIdSchema, id, 'id'));
  }

  @FieldResolver(() => [NumericCriterion])
  numeric(@Root() screener: CustomScreener, @Ctx() ctx: Context): Promise<NumericCriterion[]> {
    return ctx.services.customScreeners.numericCriteria(screener);
  }

  @FieldResolver(() => [CategoricalCriterion])
  categorical(@Root() screener: CustomScreener, @Ctx() ctx: Context): Promise<CategoricalCriterion[]> {
    return ctx.services.customScreeners.categoricalCriteria(screener);
  }

  @FieldResolver(() => StockConnection, { description: 'Stocks meeting the criteria now (first: 1-100, default 20).' })
  results(
    @Root() screener: CustomScreener,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('sort', () => ScreenerSort, { nullable: true }) sort: ScreenerSort | null,
    @Ctx() ctx: Context,
  ): Promise<StockConnection> {
    return ctx.services.customScreeners.results(screener, parseInput(resultsArgsSchema, { first, after, sort }));
  }
}
