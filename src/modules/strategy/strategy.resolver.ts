import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { Portfolio } from '../portfolio/portfolio.type.js';
import { idSchema } from '../portfolio/portfolio.validation.js';
import { BacktestInput, EnableStrategyInput } from './strategy.input.js';
import { BacktestReport, Strategy } from './strategy.type.js';
import { backtestSchema, enableStrategySchema } from './strategy.validation.js';

@Resolver(() => Strategy)
export class StrategyResolver {
  @Mutation(() => Strategy, { description: 'Enables a strategy on one of the signed-in user’s portfolios: its signals on daily bars place paper market orders (GTC).' })
  enableStrategy(@Arg('portfolioId', () => ID) portfolioId: string, @Arg('input', () => EnableStrategyInput) input: EnableStrategyInput, @Ctx() ctx: Context): Promise<Strategy> {
    const viewer = requireViewer(ctx);
    return ctx.services.strategies.enable(viewer, parseInput(enableStrategySchema, { ...input, portfolioId }));
  }

  @Mutation(() => Strategy, { description: 'Stops a strategy; orders it placed stay as they are. NOT_FOUND for another user’s strategy.' })
  disableStrategy(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Strategy> {
    const viewer = requireViewer(ctx);
    return ctx.services.strategies.disable(viewer, parseInput(idSchema, id, 'id'));
  }

  @Query(() => BacktestReport, { description: 'Replays a strategy over stored daily candles with the paper orders’ fill model. Signed-in users.' })
  backtest(@Arg('input', () => BacktestInput) input: BacktestInput, @Ctx() ctx: Context): Promise<BacktestReport> {
    requireViewer(ctx);
    return ctx.services.strategies.backtest(parseInput(backtestSchema, input));
  }
}

@Resolver(() => Portfolio)
export class PortfolioStrategiesResolver {
  @FieldResolver(() => [Strategy], { description: 'Strategies enabled on this portfolio (disabled ones too), oldest first.' })
  strategies(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<Strategy[]> {
    return ctx.loaders.strategies.byPortfolioId.load(portfolio.id);
  }
}
