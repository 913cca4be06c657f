import { FieldResolver, Resolver } from '../../graphql/type-graphql.js';
import { marketState } from '../market/calendar/new-york-calendar.js';
import { MarketState, Quote } from './stock.type.js';

/**
 * Fields every Quote carries wherever it is returned (queries and subscriptions alike), computed
 * when the field resolves, so no producer of quotes needs to know about them.
 */
@Resolver(() => Quote)
export class QuoteResolver {
  @FieldResolver(() => MarketState, { description: 'Whether the New York market is in its pre-market, open or closed, now.' })
  marketState(): MarketState {
    return MarketState[marketState(new Date())];
  }
}
