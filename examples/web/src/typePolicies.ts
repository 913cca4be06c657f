import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * The InMemoryCache policies marketgraph needs. The README shows this same object
 * (tests/e2e/apollo-cache.test.ts checks that the two agree and that it works).
 * Select `symbol` wherever you select a Stock or a Quote: it is their cache key.
 */
export const typePolicies: TypePolicies = {
  // Stocks have no `id`: the ticker is the key, so every query sees one Stock:AAPL.
  Stock: { keyFields: ['symbol'] },
  // Stock.quote and priceUpdated both return Quote: a tick rewrites the cached Quote:AAPL in place.
  Quote: { keyFields: ['symbol'] },
  Query: {
    fields: {
      // One growing list per filter: fetchMore({ variables: { after } }) appends the next page.
      stocks: relayStylePagination(['filter']),
    },
  },
  // Screener results page the same way, one list per sort (runScreener pages inside its input: one entry per page).
  Screener: { fields: { results: relayStylePagination(['sort']) } },
  CustomScreener: { fields: { results: relayStylePagination(['sort']) } },
  // Portfolio and Order are keyed by id (the default): an orderUpdated event rewrites the cached Order in place.
  Portfolio: {
    fields: {
      // Orders page like stocks, one list per status filter.
      orders: relayStylePagination(['status']),
      // Positions and slices have no id: each read replaces the whole list (a sold-out position disappears).
      positions: { merge: false },
      allocation: { merge: false },
    },
  },
};
