import { requireAdmin } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { parseInput } from '../../graphql/validate.js';
import { Arg, Ctx, Mutation, Resolver } from '../../graphql/type-graphql.js';
import { BackfillInput, BackfillReport } from './backfill.type.js';
import { backfillInputSchema } from './backfill.validation.js';

@Resolver()
export class BackfillResolver {
  @Mutation(() => BackfillReport, {
    description:
      'Administrators only. Loads historical candles from a provider into the stock database; candles already stored are kept as they are.',
  })
  backfill(@Arg('input', () => BackfillInput) input: BackfillInput, @Ctx() ctx: Context): Promise<BackfillReport> {
    requireAdmin(ctx);
    const args = parseInput(backfillInputSchema, input);
    // Wired in app.ts (ContextDependencies.market); masked as INTERNAL_SERVER_ERROR and logged when missing.
    if (!ctx.services.backfill) throw new Error('backfill is not wired: ContextDependencies.market is missing');
    return ctx.services.backfill.run(args);
  }
}
