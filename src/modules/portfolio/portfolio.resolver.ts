import { z } from 'zod';
import { requireViewer } from '../../graphql/auth.js';
import type { Context } from '../../composition/context.js';
import { rowsCost } from '../../graphql/guards/cost.js';
import { firstSchema } from '../../graphql/pagination.js';
import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { Stock } from '../stock/stock.type.js';
import { CashMovementInput, CreatePortfolioInput, RecordTradeInput, TransferCashInput } from './portfolio.input.js';
import { CashBalance, Portfolio, Position, Trade, TradeConnection } from './portfolio.type.js';
import { cashMovementSchema, createPortfolioSchema, currencySchema, idSchema, recordTradeSchema, transferCashSchema } from './portfolio.validation.js';

const tradesArgsSchema = z.object({ first: firstSchema, after: z.string().max(200).nullish() });

@Resolver(() => Portfolio)
export class PortfolioResolver {
  @Query(() => [Portfolio], { description: 'The signed-in user’s portfolios, oldest first.' })
  portfolios(@Ctx() ctx: Context): Promise<Portfolio[]> {
    return ctx.services.portfolios.list(requireViewer(ctx));
  }

  @Query(() => Portfolio, { description: 'One of the signed-in user’s portfolios; NOT_FOUND for any other id.' })
  portfolio(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Portfolio> {
    const viewer = requireViewer(ctx);
    return ctx.services.portfolios.get(viewer, parseInput(idSchema, id, 'id'));
  }

  @Mutation(() => Portfolio)
  createPortfolio(@Arg('input', () => CreatePortfolioInput) input: CreatePortfolioInput, @Ctx() ctx: Context): Promise<Portfolio> {
    const viewer = requireViewer(ctx);
    return ctx.services.portfolios.create(viewer, parseInput(createPortfolioSchema, input));
  }

  @Mutation(() => Portfolio, { description: 'Adds cash. A repeat of idempotencyKey returns the portfolio without depositing again.' })
  depositCash(@Arg('input', () => CashMovementInput) input: CashMovementInput, @Ctx() ctx: Context): Promise<Portfolio> {
    const viewer = requireViewer(ctx);
    return ctx.services.capital.deposit(viewer, parseInput(cashMovementSchema, input));
  }

  @Mutation(() => Portfolio, { description: 'Takes cash out; INSUFFICIENT_FUNDS (nothing written) when it would go below zero.' })
  withdrawCash(@Arg('input', () => CashMovementInput) input: CashMovementInput, @Ctx() ctx: Context): Promise<Portfolio> {
    const viewer = requireViewer(ctx);
    return ctx.services.capital.withdraw(viewer, parseInput(cashMovementSchema, input));
  }

  @Mutation(() => [Portfolio], { description: 'Moves cash between two of the signed-in user’s portfolios; returns [from, to].' })
  transferCash(@Arg('input', () => TransferCashInput) input: TransferCashInput, @Ctx() ctx: Context): Promise<Portfolio[]> {
    const viewer = requireViewer(ctx);
    return ctx.services.capital.transfer(viewer, parseInput(transferCashSchema, input));
  }

  @Mutation(() => Trade, { description: 'Books a trade made elsewhere: the trade, its cash (and FEE) rows and the position, in one transaction.' })
  recordTrade(@Arg('input', () => RecordTradeInput) input: RecordTradeInput, @Ctx() ctx: Context): Promise<Trade> {
    const viewer = requireViewer(ctx);
    return ctx.services.trades.record(viewer, parseInput(recordTradeSchema, input));
  }

  @FieldResolver(() => Float, { description: 'Cash in one currency (default: the base currency), 0 when none is held.' })
  async cash(@Root() portfolio: Portfolio, @Arg('currency', () => String, { nullable: true }) currency: string | null, @Ctx() ctx: Context): Promise<number> {
    const code = currency == null ? portfolio.baseCurrency : parseInput(currencySchema, currency, 'currency');
    const state = await ctx.loaders.portfolio.stateById.load(portfolio.id);
    return state.cash.get(code)?.toNumber() ?? 0;
  }

  @FieldResolver(() => [CashBalance], { description: 'Cash held per currency.' })
  async cashBalances(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<CashBalance[]> {
    const state = await ctx.loaders.portfolio.stateById.load(portfolio.id);
    return [...state.cash].map(([currency, amount]) => ({ currency, amount: amount.toNumber() }));
  }

  @FieldResolver(() => Float, { description: 'Cash plus positions at their latest price, in the base currency.' })
  async totalValue(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.portfolio.valuationById.load(portfolio)).totalValue.toDecimalPlaces(6).toNumber();
  }

  @FieldResolver(() => Float, { description: 'What the positions held cost, in the base currency.' })
  async invested(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.portfolio.valuationById.load(portfolio)).invested.toDecimalPlaces(6).toNumber();
  }

  @FieldResolver(() => Float, { description: 'Change of the positions’ value since the previous close, in the base currency.' })
  async dayChange(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.portfolio.valuationById.load(portfolio)).dayChange.toDecimalPlaces(6).toNumber();
  }

  @FieldResolver(() => Float, { description: 'P&L realised by sells to date, in the base currency.' })
  async realizedPnl(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.portfolio.valuationById.load(portfolio)).realizedPnl.toDecimalPlaces(6).toNumber();
  }

  // Unbounded list: the cost guard counts it as a typical 50 positions, so nesting candles under it stays bounded.
  @FieldResolver(() => [Position], { description: 'Open positions, by symbol.', complexity: ({ childComplexity }) => rowsCost(50, childComplexity) })
  async positions(@Root() portfolio: Portfolio, @Ctx() ctx: Context): Promise<Position[]> {
    return (await ctx.loaders.portfolio.valuationById.load(portfolio)).positions;
  }

  @FieldResolver(() => TradeConnection, { description: 'The trade log, newest first.' })
  trades(
    @Root() portfolio: Portfolio,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<TradeConnection> {
    const args = parseInput(tradesArgsSchema, { first, after });
    return ctx.services.trades.page(portfolio.id, args.first, args.after);
  }
}

@Resolver(() => Position)
export class PositionResolver {
  @FieldResolver(() => Stock, { nullable: true, description: 'The stock from the stock database; null only if it was removed from there since.' })
  stock(@Root() position: Position, @Ctx() ctx: Context): Promise<Stock | null> {
    return ctx.loaders.stock.stockBySymbol.load(position.symbol);
  }
}
