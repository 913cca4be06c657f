import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import type { AlertTriggeredPayload } from './alert-evaluator.js';
import { parseInput } from '../../graphql/validate.js';
import { Alert, AlertEvent, AlertEventConnection, CreateAlertInput } from './alert.type.js';
import { alertHistorySchema, alertIdSchema, createAlertSchema } from './alert.validation.js';

@Resolver()
export class AlertResolver {
  @Mutation(() => Alert, { description: 'Creates an alert of the signed-in user (at most 200).' })
  createAlert(@Arg('input', () => CreateAlertInput) input: CreateAlertInput, @Ctx() ctx: Context): Promise<Alert> {
    const viewer = requireViewer(ctx);
    return ctx.services.alerts.create(viewer, parseInput(createAlertSchema, input));
  }

  @Query(() => [Alert], { description: 'The signed-in user’s alerts, oldest first.' })
  alerts(@Ctx() ctx: Context): Promise<Alert[]> {
    return ctx.services.alerts.list(requireViewer(ctx));
  }

  @Mutation(() => Boolean, { description: 'Deletes an alert of the signed-in user; NOT_FOUND when the user has no such alert.' })
  deleteAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireViewer(ctx);
    return ctx.services.alerts.delete(viewer, parseInput(alertIdSchema, id, 'id'));
  }

  @Query(() => AlertEventConnection, { description: 'Alerts that fired for the signed-in user, newest first.' })
  alertHistory(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<AlertEventConnection> {
    const viewer = requireViewer(ctx);
    const args = parseInput(alertHistorySchema, { first, after });
    return ctx.services.alerts.history(viewer, args.first, args.after);
  }
}

@Resolver()
export class AlertSubscriptionResolver {
  @Subscription(() => AlertEvent, {
    description: 'Each alert of the signed-in user as it fires (in whichever process evaluated it).',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      const viewer = requireViewer(ctx);
      return ctx.services.alerts.stream(viewer, { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  alertTriggered(@Root() event: AlertTriggeredPayload): AlertEvent {
    return { ...event, condition: event.condition as AlertEvent['condition'], firedAt: new Date(event.firedAt) };
  }
}
