import { requireViewer } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Directive } from '../../graphql/type-graphql.js';
import { cacheHint } from '../../graphql/cache-control.js';
import { parseInput } from '../../graphql/validate.js';
import { Stock } from '../stock/stock.type.js';
import { symbolSchema } from '../stock/stock.validation.js';
import { MarkStockInput, StockInterest } from './collection.type.js';
import { markStockSchema } from './collection.validation.js';

@Resolver(() => StockInterest)
export class InterestResolver {
  @Query(() => [StockInterest], { description: 'Stocks the signed-in user marked, oldest first.' })
  myStockInterests(@Ctx() ctx: Context): Promise<StockInterest[]> {
    return ctx.services.interests.list(requireViewer(ctx));
  }

  @Mutation(() => StockInterest, { description: 'Marks a stock with a target price and a note, replacing an earlier mark.' })
  markStock(@Arg('input', () => MarkStockInput) input: MarkStockInput, @Ctx() ctx: Context): Promise<StockInterest> {
    const viewer = requireViewer(ctx);
    return ctx.services.interests.mark(viewer, parseInput(markStockSchema, input));
  }

  @Mutation(() => Boolean, { description: 'True when a mark was removed, false when there was none.' })
  unmarkStock(@Arg('symbol', () => String) symbol: string, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireViewer(ctx);
    return ctx.services.interests.unmark(viewer, parseInput(symbolSchema, symbol, 'symbol'));
  }

  @FieldResolver(() => Stock, { nullable: true, description: 'Null if the stock has since left the stock database.' })
  stock(@Root() interest: StockInterest, @Ctx() ctx: Context): Promise<Stock | null> {
    return ctx.services.stocks.findBySymbol(interest.symbol);
  }
}

@Resolver(() => Stock)
export class StockInterestResolver {
  // Depends on the viewer: an answer that selects it is never shared (see Caching in the README).
  @Directive(cacheHint(0, 'PRIVATE'))
  @FieldResolver(() => StockInterest, { nullable: true, description: 'The signed-in user’s mark on this stock; null when none or signed out.' })
  myInterest(@Root() stock: Stock, @Ctx() ctx: Context): Promise<StockInterest | null> {
    return ctx.services.interests.forStock(stock.symbol);
  }
}
