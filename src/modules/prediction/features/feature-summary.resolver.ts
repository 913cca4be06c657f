import type { Context } from '../../../composition/context.js';
import { requireAdmin } from '../../../graphql/auth.js';
import { Arg, Ctx, Int, Query, Resolver } from '../../../graphql/type-graphql.js';
import { parseInput } from '../../../graphql/validate.js';
import { featureSummaryArgsSchema } from './feature-summary.service.js';
import { FeatureSummaryConnection } from './feature-summary.type.js';

@Resolver()
export class FeatureSummaryResolver {
  @Query(() => FeatureSummaryConnection, {
    description:
      'Administrators only (FORBIDDEN otherwise): per symbol, how far the stored engineered features reach, by symbol ' +
      '(first: 1-100, default 20). Read from a materialized view the hourly features job refreshes.',
  })
  featureSummary(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<FeatureSummaryConnection> {
    requireAdmin(ctx);
    return ctx.services.featureSummary.page(parseInput(featureSummaryArgsSchema, { first, after }));
  }
}
