import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { Stock } from '../stock/stock.type.js';
import { symbolSchema } from '../stock/stock.validation.js';
import type { PredictionUpdatedEvent } from './prediction-run.js';
import { Model, Prediction } from './prediction.type.js';

@Resolver()
export class PredictionResolver {
  @Query(() => [Model], { description: 'Trained model versions in the registry, ACTIVE first, then newest first (at most 200), with their backtest metrics against naive.' })
  models(@Ctx() ctx: Context): Promise<Model[]> {
    return ctx.services.predictions.models();
  }

  @Subscription(() => Prediction, {
    description: "A stock's prediction each time the hourly prediction job replaced it (a new target, or a new best model).",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.predictions.stream(parseInput(symbolSchema, args.symbol, 'symbol'), {
        onOverflow: ctx.connection?.closeSlowConsumer,
        onDrop: ctx.connection?.eventDropped,
      });
    },
  })
  predictionUpdated(@Root() event: PredictionUpdatedEvent, @Arg('symbol', () => String) _symbol: string, @Ctx() ctx: Context): Promise<Prediction> {
    return ctx.services.predictions.current(event.symbol);
  }
}

@Resolver(() => Stock)
export class StockPredictionResolver {
  @FieldResolver(() => Prediction, {
    nullable: true,
    description:
      'The best model’s latest 7/30/90-session forecasts: best by backtest skill among ACTIVE models that beat the random walk, ' +
      'else the naive baseline. Null before the first prediction run, and for stocks outside the largest the job predicts.',
  })
  prediction(@Root() stock: Stock, @Ctx() ctx: Context): Promise<Prediction | null> {
    return ctx.loaders.predictions.predictionBySymbol.load(stock.symbol);
  }
}
