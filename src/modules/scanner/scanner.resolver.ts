import type { Context } from '../../composition/context.js';
import { requireAdmin } from '../../graphql/auth.js';
import { parseInput } from '../../graphql/validate.js';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import type { ScanCompletedEvent } from '../../realtime/topics.js';
import { Stock } from '../stock/stock.type.js';
import { scanRunOfEvent } from './scanner.service.js';
import { ScanKind, ScanResult, ScanResultConnection, ScanRun, ScanTimeframe } from './scanner.type.js';
import { marketScanSchema, timeframeSchema } from './scanner.validation.js';

@Resolver()
export class ScannerResolver {
  @Query(() => ScanResultConnection, { description: 'One kind’s hits of the latest scan run of the timeframe, rank 1 first (Market scanner in the README).' })
  marketScan(
    @Arg('timeframe', () => ScanTimeframe, { nullable: true, defaultValue: ScanTimeframe.DAILY }) timeframe: ScanTimeframe | null,
    @Arg('kind', () => ScanKind) kind: ScanKind,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ScanResultConnection> {
    const args = parseInput(marketScanSchema, { timeframe, kind, first, after });
    return ctx.services.scanner.page(args.timeframe, args.kind, args.first, args.after);
  }

  @Mutation(() => ScanRun, { description: 'Administrators only. Runs a scan of the timeframe now and answers with the committed run.' })
  runMarketScan(
    @Arg('timeframe', () => ScanTimeframe, { nullable: true, defaultValue: ScanTimeframe.DAILY }) timeframe: ScanTimeframe | null,
    @Ctx() ctx: Context,
  ): Promise<ScanRun> {
    requireAdmin(ctx);
    return ctx.services.scanner.run(parseInput(timeframeSchema.nullish().transform((value) => value ?? 'DAILY'), timeframe, 'timeframe'));
  }
}

@Resolver(() => ScanResult)
export class ScanResultResolver {
  @FieldResolver(() => Stock, { nullable: true, description: 'The stock from the stock database; null only if it was removed since the run.' })
  stock(@Root() result: ScanResult, @Ctx() ctx: Context): Promise<Stock | null> {
    return ctx.loaders.stock.stockBySymbol.load(result.symbol);
  }
}

@Resolver()
export class ScannerSubscriptionResolver {
  @Subscription(() => ScanRun, {
    description: 'Each scan run of the timeframe as it is committed (in whichever process ran it).',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const timeframe = parseInput(timeframeSchema, (args as { timeframe: unknown }).timeframe, 'timeframe');
      return ctx.services.scanner.stream(timeframe, { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  scanCompleted(@Arg('timeframe', () => ScanTimeframe) _timeframe: ScanTimeframe, @Root() event: ScanCompletedEvent): ScanRun {
    return scanRunOfEvent(event);
  }
}
