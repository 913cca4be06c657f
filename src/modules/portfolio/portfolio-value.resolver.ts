import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, ID, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { PortfolioValue } from './analytics.type.js';
import { idSchema } from './portfolio.validation.js';

@Resolver()
export class PortfolioValueResolver {
  @Subscription(() => PortfolioValue, {
    description:
      'The live value of one of your portfolios: the current value at once, then recomputed when a symbol held ticks, ' +
      'at most once a second. Another user’s id is NOT_FOUND.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.portfolioValues.stream(requireViewer(ctx), parseInput(idSchema, args.portfolioId, 'portfolioId'));
    },
  })
  portfolioValueUpdated(@Root() value: PortfolioValue, @Arg('portfolioId', () => ID) _portfolioId: string): PortfolioValue {
    return value;
  }
}
