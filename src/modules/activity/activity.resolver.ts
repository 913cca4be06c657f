import type { Context } from '../../composition/context.js';
import { requireAdmin, requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, Int, Query, Resolver } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { ActivityConnection, ActivitySeverity, ActivitySource } from './activity.type.js';
import { myActivityArgsSchema, systemActivityArgsSchema } from './activity.validation.js';

@Resolver()
export class ActivityResolver {
  @Query(() => ActivityConnection, {
    description:
      'Administrators only (FORBIDDEN otherwise): the whole activity log, newest first (first: 1-100, default 20). ' +
      'severity is a minimum; from is inclusive, to exclusive.',
  })
  systemActivity(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('severity', () => ActivitySeverity, { nullable: true }) severity: ActivitySeverity | null,
    @Arg('source', () => ActivitySource, { nullable: true }) source: ActivitySource | null,
    @Arg('correlationId', () => String, { nullable: true }) correlationId: string | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<ActivityConnection> {
    requireAdmin(ctx);
    return ctx.services.activity.systemActivity(parseInput(systemActivityArgsSchema, { first, after, severity, source, correlationId, from, to }));
  }

  @Query(() => ActivityConnection, {
    description: "The signed-in user's own activity, newest first: their mutations (sign-ins included) and their portfolios' trading events.",
  })
  myActivity(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ActivityConnection> {
    const viewer = requireViewer(ctx);
    return ctx.services.activity.myActivity(viewer.accountId, parseInput(myActivityArgsSchema, { first, after }));
  }
}
