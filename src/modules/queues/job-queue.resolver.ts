import type { Context } from '../../composition/context.js';
import { requireAdmin } from '../../graphql/auth.js';
import { Ctx, Query, Resolver } from '../../graphql/type-graphql.js';
import { JobQueue } from './job-queue.type.js';

@Resolver()
export class JobQueueResolver {
  @Query(() => [JobQueue], { description: 'Administrators only (FORBIDDEN otherwise): every job queue with its jobs by state.' })
  jobQueues(@Ctx() ctx: Context): Promise<JobQueue[]> {
    requireAdmin(ctx);
    return ctx.services.jobQueues.counts();
  }
}
