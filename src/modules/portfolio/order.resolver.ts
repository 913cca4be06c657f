import { Decimal } from 'decimal.js';
import type { Context } from '../../composition/context.js';
import { requireViewer } from '../../graphql/auth.js';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { toFloat } from '../../lib/numbers.js';
import { orderFromEvent } from './order-events.js';
import { PlaceOrderInput } from './order.input.js';
import { Order, OrderConnection, OrderFill, OrderStatus } from './order.type.js';
import { ordersArgsSchema, placeOrderSchema } from './order.validation.js';
import { Portfolio } from './portfolio.type.js';
import { idSchema } from './portfolio.validation.js';

@Resolver(() => Order)
export class OrderResolver {
  @Mutation(() => Order, {
    description:
      'Places a paper order; it fills against the live feed. Buys reserve buying power at once. BAD_USER_INPUT, INSUFFICIENT_FUNDS or INSUFFICIENT_POSITION write nothing. A repeated clientOrderId returns the first order.',
  })
  placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: Context): Promise<Order> {
    const viewer = requireViewer(ctx);
    return ctx.services.orders.place(viewer, parseInput(placeOrderSchema, input));
  }

  @Mutation(() => Order, { description: 'Cancels an open order (what has filled stays filled) and releases its reservation.' })
  cancelOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Order> {
    const viewer = requireViewer(ctx);
    return ctx.services.orders.cancel(viewer, parseInput(idSchema, id, 'id'));
  }

  @Subscription(() => Order, {
    description: 'Every status or fill change of the portfolio’s paper orders. Owner only: another user’s portfolio is NOT_FOUND.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const viewer = requireViewer(ctx);
      return ctx.services.orders.stream(viewer, parseInput(idSchema, args.portfolioId, 'portfolioId'), { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  orderUpdated(@Root() event: Order, @Arg('portfolioId', () => ID) _portfolioId: string): Order {
    return orderFromEvent(event as never);
  }

  @FieldResolver(() => [OrderFill], { description: 'Executions, oldest first.' })
  async fills(@Root() order: Order, @Ctx() ctx: Context): Promise<OrderFill[]> {
    const rows = await ctx.loaders.orders.fillsByOrderId.load({ id: order.id, updatedAt: order.updatedAt });
    // An orderUpdated event may be resolved after later fills committed: show the fills of the event's state.
    const upTo = new Decimal(String(order.filledQuantity));
    let sum = new Decimal(0);
    const asOfOrder = rows.filter((row) => (sum = sum.plus(row.quantity.toString())).lte(upTo));
    return asOfOrder.map((row) => ({
      quantity: toFloat(row.quantity.toString()),
      price: toFloat(row.price.toString()),
      commission: toFloat(row.commission.toString()),
      slippageBps: toFloat(row.slippageBps.toString()),
      executedAt: row.executedAt,
    }));
  }
}

@Resolver(() => Portfolio)
export class PortfolioOrdersResolver {
  @FieldResolver(() => OrderConnection, { description: 'Paper orders, newest first, optionally of one status.' })
  orders(
    @Root() portfolio: Portfolio,
    @Arg('status', () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    const args = parseInput(ordersArgsSchema, { status, first, after });
    return ctx.services.orders.page(portfolio.id, args.status, args.first, args.after);
  }
}
