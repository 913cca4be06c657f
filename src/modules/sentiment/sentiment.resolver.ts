import type { Context } from '../../composition/context.js';
import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import { Stock } from '../stock/stock.type.js';
import type { SentimentStreamItem } from './sentiment.service.js';
import { SentimentSummary, SentimentWindow, type SentimentLabelEnum } from './sentiment.type.js';
import { sentimentUpdatedSchema, sentimentWindowSchema } from './sentiment.validation.js';

const WINDOW_ARG = { defaultValue: SentimentWindow.SEVEN_DAYS, description: 'The period averaged, ending now.' };

@Resolver(() => Stock)
export class StockSentimentResolver {
  @FieldResolver(() => SentimentSummary, {
    nullable: true,
    description: 'Mean sentiment of the scored news articles naming this stock in the window; null when there are none.',
  })
  sentiment(
    @Root() stock: Stock,
    @Arg('window', () => SentimentWindow, WINDOW_ARG) window: SentimentWindow,
    @Ctx() ctx: Context,
  ): Promise<SentimentSummary | null> {
    return ctx.services.sentiment.summary(stock.symbol, parseInput(sentimentWindowSchema, window, 'window'));
  }
}

@Resolver()
export class SentimentSubscriptionResolver {
  @Subscription(() => SentimentSummary, {
    description:
      'The stock’s current sentiment summary of the window (when it has articles), then each change of its score as ' +
      'news is ingested (and hourly as the window moves on). Unknown symbol: BAD_USER_INPUT.',
    subscribe: ({ args, context }) => {
      const { symbol, window } = parseInput(sentimentUpdatedSchema, args);
      const ctx = context as Context;
      return ctx.services.sentiment.stream(symbol, window, { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  sentimentUpdated(
    @Root() item: SentimentStreamItem,
    @Arg('symbol', () => String) _symbol: string,
    @Arg('window', () => SentimentWindow, WINDOW_ARG) _window: SentimentWindow,
  ): SentimentSummary {
    const { symbol, window, score, label, articleCount, trend } = item;
    return { symbol, window: window as SentimentWindow, score, label: label as SentimentLabelEnum, articleCount, trend };
  }
}
