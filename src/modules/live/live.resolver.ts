import type { Context } from '../../composition/context.js';
import { Arg, Root, Subscription, Resolver } from '../../graphql/type-graphql.js';
import { parseInput } from '../../graphql/validate.js';
import type { PriceEvent } from './live.service.js';
import { priceUpdatedSchema } from './live.validation.js';
import { IndicatorPoint } from '../indicator/indicator.type.js';
import { Quote } from '../stock/stock.type.js';
import { symbolSchema } from '../stock/stock.validation.js';

@Resolver()
export class LiveResolver {
  @Subscription(() => Quote, {
    description:
      'The current quote of each symbol at once, then every tick. 1-100 listed symbols. A `Quote`, like `Stock.quote`: ' +
      'a client cache keyed by symbol updates the quote it holds.',
    subscribe: ({ args, context }) => {
      const { symbols } = parseInput(priceUpdatedSchema, args);
      const ctx = context as Context;
      return ctx.services.live.priceStream(symbols, { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  priceUpdated(@Root() event: PriceEvent, @Arg('symbols', () => [String]) _symbols: string[]): PriceEvent {
    return event;
  }

  @Subscription(() => IndicatorPoint, {
    description: 'The latest indicators of a stock at once, then each recomputation (every 5 minutes while candles change).',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.live.indicatorStream(parseInput(symbolSchema, args.symbol, 'symbol'), { onOverflow: ctx.connection?.closeSlowConsumer, onDrop: ctx.connection?.eventDropped });
    },
  })
  indicatorUpdated(@Root() point: IndicatorPoint, @Arg('symbol', () => String) _symbol: string): IndicatorPoint {
    return point;
  }
}
