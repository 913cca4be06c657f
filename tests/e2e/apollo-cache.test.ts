// A real Apollo Client (InMemoryCache with the policies the web example ships,
// HttpLink over fetch, GraphQLWsLink over graphql-ws + ws) against the real app:
// live ticks land in the normalised cache, and `stocks` pages to the end.
import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache, gql, split, type NormalizedCacheObject } from '@apollo/client/core';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import WebSocket from 'ws';
import { typePolicies } from '../../examples/web/src/typePolicies.js';
import { IngestService } from '../../src/modules/market/ingest.service.js';
import { startTestApp, type TestApp } from '../support/app.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
// 23 more listed stocks, so `stocks` takes several pages of 5.
const MORE_STOCKS = `INSERT INTO stock (symbol, name, sector, industry, exchange)
  SELECT 'P' || lpad(i::text, 2, '0'), 'Paged ' || i, 'Technology', 'Software', 'NYSE' FROM generate_series(1, 23) AS i`;

const STOCK_PRICE = gql`
  query StockPrice($symbol: String!) {
    stock(symbol: $symbol) { symbol name quote { symbol price } }
  }
`;
// Another view of the same quote with other fields: merged into the same Quote, no "Cache data may be lost".
const STOCK_CHANGE = gql`
  query StockChange($symbol: String!) {
    stock(symbol: $symbol) { symbol quote { symbol change changePercent volume timestamp } }
  }
`;
const PRICES = gql`
  subscription Prices($symbols: [String!]!) {
    priceUpdated(symbols: $symbols) { symbol price previousClose change changePercent volume timestamp }
  }
`;
const STOCKS = gql`
  query Stocks($first: Int!, $after: String) {
    stocks(first: $first, after: $after) {
      totalCount
      edges { cursor node { symbol quote { symbol price } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

// Apollo's warnings in full text, so a failure below says what Apollo complained about.
loadDevMessages();
loadErrorMessages();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: async (db) => (await db.sql.exec(MARKET), await db.sql.exec(MORE_STOCKS)) });
});
afterAll(() => t?.close());

let client: ApolloClient<NormalizedCacheObject>;
let wsClient: Client;
let warnings: MockInstance;
let errors: MockInstance;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn');
  errors = vi.spyOn(console, 'error');
  wsClient = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(wsClient),
    new HttpLink({ uri: t.url, fetch }),
  );
  client = new ApolloClient({ link, cache: new InMemoryCache({ typePolicies }), clientAwareness: { name: 'apollo-cache-test', version: '1' } });
});
afterEach(async () => {
  client.stop();
  await wsClient.dispose();
  warnings.mockRestore();
  errors.mockRestore();
});

/** Waits until `condition` holds, polling; fails with `what` after 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const quoteEntity = () => client.cache.extract()[client.cache.identify({ __typename: 'Quote', symbol: 'AAPL' })!];
const cachedPrice = () => client.readQuery({ query: STOCK_PRICE, variables: { symbol: 'AAPL' } })?.stock.quote.price;

describe('Apollo Client InMemoryCache with the example\'s type policies', () => {
  it('lets a priceUpdated tick change the cached Stock.quote that a query read earlier, with no merge function and no warning', async () => {
    const first = await client.query({ query: STOCK_PRICE, variables: { symbol: 'AAPL' } });
    expect(first.data.stock.quote.price).toBe(190.5);
    await client.query({ query: STOCK_CHANGE, variables: { symbol: 'AAPL' } });
    expect(quoteEntity()).toMatchObject({ symbol: 'AAPL', price: 190.5, change: 2.5 });

    // A component showing stock.quote.price: what it would render on each cache change.
    const rendered: number[] = [];
    const watched = client.watchQuery({ query: STOCK_PRICE, variables: { symbol: 'AAPL' }, fetchPolicy: 'cache-only' }).subscribe({
      next: ({ data }) => void rendered.push(data.stock.quote.price),
    });
    const ticks: any[] = [];
    const live = client.subscribe({ query: PRICES, variables: { symbols: ['AAPL'] } }).subscribe({ next: ({ data }) => void ticks.push(data.priceUpdated) });
    try {
      await until(() => ticks.length === 1, 'the current quote'); // the subscription is live

      // A tick through the live path the quotes job takes: ingest into the candles, then publish.
      const ingest = new IngestService(t.stock.sql);
      const [update] = await ingest.ingestTicks([{ symbol: 'AAPL', price: '193.75', volume: 500, timestamp: new Date('2025-03-06T15:00:00Z') }]);
      expect(update).toMatchObject({ symbol: 'AAPL', price: 193.75, previousClose: 190.5 });
      await t.app.publishPrice(update!);
      await until(() => cachedPrice() === 193.75, 'the tick in the cache');
      await until(() => rendered.at(-1) === 193.75, 'the watching query to re-render');

      await t.app.publishPrice({ ...update!, price: 194.1, change: 3.6, changePercent: 1.8898, timestamp: '2025-03-06T15:00:05.000Z' });
      await until(() => cachedPrice() === 194.1, 'the second tick in the cache');
      await until(() => rendered.at(-1) === 194.1, 'the second re-render');
    } finally {
      live.unsubscribe();
      watched.unsubscribe();
    }

    expect(ticks.at(-1)).toMatchObject({ symbol: 'AAPL', price: 194.1, previousClose: 190.5, change: 3.6 });
    // One entity, updated in place: the other query's fields too.
    expect(quoteEntity()).toMatchObject({ symbol: 'AAPL', price: 194.1, previousClose: 190.5, change: 3.6, changePercent: 1.8898 });
    expect(client.readQuery({ query: STOCK_CHANGE, variables: { symbol: 'AAPL' } })!.stock.quote.change).toBe(3.6);
    expect(rendered).toEqual(expect.arrayContaining([190.5, 193.75, 194.1]));
    const messages = [...warnings.mock.calls, ...errors.mock.calls].map((args) => args.map(String).join(' '));
    expect(messages.filter((message) => /Cache data may be lost|Missing field/.test(message))).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('pages stocks with fetchMore to the end and holds every stock exactly once', async () => {
    const PAGE = 5;
    const watched = client.watchQuery({ query: STOCKS, variables: { first: PAGE } });
    let latest: any;
    const subscription = watched.subscribe({ next: (result) => void (latest = result) });
    await until(() => latest?.data !== undefined && !latest.loading, 'the first page');
    // What an infinite list does: fetchMore with the cursor of the page just received.
    let page = latest.data.stocks;
    let pages = 1;
    while (page.pageInfo.hasNextPage) {
      page = (await watched.fetchMore({ variables: { after: page.pageInfo.endCursor } })).data.stocks;
      pages += 1;
      if (pages > 20) throw new Error('stocks never reached its end');
    }
    const merged = watched.getCurrentResult().data!.stocks;
    subscription.unsubscribe();
    const symbols: string[] = merged.edges.map((edge: any) => edge.node.symbol);

    const all = await t.graphql(`{ stocks(first: 100) { totalCount edges { node { symbol } } } }`);
    const expected = all.data!.stocks.edges.map((edge: any) => edge.node.symbol);
    expect(expected.length).toBe(all.data!.stocks.totalCount);
    expect(expected.length).toBeGreaterThan(PAGE * 4);
    expect(pages).toBe(Math.ceil(expected.length / PAGE));
    expect(new Set(symbols).size).toBe(symbols.length);
    expect(symbols).toEqual(expected);
    expect(merged.pageInfo.hasNextPage).toBe(false);
    const messages = [...warnings.mock.calls, ...errors.mock.calls].map((args) => args.map(String).join(' '));
    expect(messages).toEqual([]);
  });
});

describe('the README\'s Apollo Client snippet', () => {
  it('shows the very type policies the web example ships', () => {
    const source = readFileSync(new URL('../../examples/web/src/typePolicies.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = source.indexOf('export const typePolicies');
    const object = source.slice(start, source.indexOf('\n};\n', start) + 3);
    expect(object).toMatch(/^export const typePolicies: TypePolicies = \{[\s\S]+relayStylePagination[\s\S]+\};$/);
    expect(readme).toContain(object);
  });
});
