import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineNewsProvider } from '../../../src/providers/news/offline-provider.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { fixedProvider, ingestService, insertSeedStocks } from './news-db.js';

const NOW = new Date();
const TIE = new Date(Math.floor(NOW.getTime() / 60_000) * 60_000 - 3_600_000);
// Five Microsoft stories published in the same minute: the cursor must tell them apart.
const SAME_MINUTE = ['cloud revenue', 'gaming unit', 'AI partnership', 'office suite', 'data centres'].map((topic, i) => ({
  title: `Microsoft expands ${topic} plans (MSFT)`,
  url: `https://news.example/msft/${i}`,
  source: 'Test Wire',
  summary: null,
  publishedAt: TIE,
}));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    prepareStock: async (db) => {
      await insertSeedStocks(db.sql);
      await ingestService(db.sql, new OfflineNewsProvider(() => NOW)).ingest();
      await ingestService(db.sql, fixedProvider(SAME_MINUTE)).ingest();
    },
  });
});
afterAll(() => t?.close());

const NEWS = `query($symbols: [String!], $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  news(symbols: $symbols, from: $from, to: $to, first: $first, after: $after) {
    edges { cursor node { id title url source publishedAt summary sentiment { label score analyzer } stocks { symbol name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const STOCK_NEWS = `query($symbol: String!, $first: Int, $after: String) {
  stock(symbol: $symbol) { news(first: $first, after: $after) { edges { node { id publishedAt } } pageInfo { hasNextPage endCursor } } }
}`;

async function storedIds(symbol: string): Promise<string[]> {
  const rows = await t.stock.sql.query<{ id: string }>(
    `SELECT article_id::text AS id FROM news_article_stock WHERE symbol = $1 ORDER BY published_at DESC, article_id DESC`,
    [symbol],
  );
  return rows.map((r) => r.id);
}

describe('news', () => {
  it('returns a symbol’s articles newest first with their sentiment and the stocks they name', async () => {
    const { news } = await t.data(NEWS, { symbols: ['aapl'], first: 100 });
    const nodes = news.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.id)).toEqual(await storedIds('AAPL'));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const node of nodes) {
      expect(node.stocks).toContainEqual({ symbol: 'AAPL', name: 'Apple Inc.' });
      expect(['POSITIVE', 'NEUTRAL', 'NEGATIVE']).toContain(node.sentiment.label);
      expect(node.sentiment.analyzer).toBe('lexicon');
      expect(node.url).toMatch(/^https:\/\//);
    }
    const times = nodes.map((n: any) => Date.parse(n.publishedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages through every article of a symbol once, in order, also across articles of the same instant', async () => {
    const expected = await storedIds('MSFT');
    expect(expected.length).toBeGreaterThanOrEqual(8);
    for (const walk of ['news', 'stock'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const conn: any =
          walk === 'news'
            ? (await t.data(NEWS, { symbols: ['MSFT'], first: 2, after })).news
            : (await t.data(STOCK_NEWS, { symbol: 'MSFT', first: 2, after })).stock.news;
        seen.push(...conn.edges.map((e: any) => e.node.id));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      expect(seen, walk).toEqual(expected);
    }
  });

  it('keeps articles published at or after from and before to', async () => {
    const from = new Date(NOW.getTime() - 10 * 86_400_000);
    const to = TIE;
    const { news } = await t.data(NEWS, { from: from.toISOString(), to: to.toISOString(), first: 100 });
    expect(news.edges.length).toBeGreaterThan(0);
    for (const { node } of news.edges) {
      const at = Date.parse(node.publishedAt);
      expect(at).toBeGreaterThanOrEqual(from.getTime());
      expect(at).toBeLessThan(to.getTime());
    }
    // `to` is exclusive: the five stories of that minute are not in.
    expect(news.edges.map((e: any) => e.node.url)).not.toContain(SAME_MINUTE[0]!.url);
  });

  it('gives each stock of a page its own articles', async () => {
    const { stocks } = await t.data(`{ stocks(first: 10) { edges { node { symbol news(first: 3) { edges { node { stocks { symbol } } } } } } } }`);
    for (const { node } of stocks.edges) {
      for (const article of node.news.edges) expect(article.node.stocks.map((s: any) => s.symbol)).toContain(node.symbol);
    }
  });

  it('costs the same number of statements for the news of 1 stock as for 50', async () => {
    const query = `query($first: Int) { stocks(first: $first) { edges { node { symbol news(first: 3) { edges { node { title sentiment { score } stocks { symbol name } } } } } } } }`;
    const one = await t.coldStatements(query, { first: 1 });
    const fifty = await t.coldStatements(query, { first: 50 });
    expect(fifty.data.stocks.edges).toHaveLength(50);
    expect(fifty.data.stocks.edges.every((e: any) => e.node.news.edges.length > 0)).toBe(true);
    // The page, the stocks' articles, the rows of the stocks the articles name (those not cached by the page).
    expect(one.stock).toBeLessThanOrEqual(3);
    expect(fifty.stock).toBe(one.stock);
    expect(fifty.user).toBe(0);
  });

  it.each([
    ['an unknown symbol', { symbols: ['AAPL', 'NOPE'] }, 'symbols[1]'],
    ['more than 50 symbols', { symbols: Array.from({ length: 51 }, (_, i) => `S${i}`) }, 'symbols'],
    ['an empty symbol list', { symbols: [] }, 'symbols'],
    ['a malformed symbol', { symbols: ['not a symbol!'] }, 'symbols[0]'],
    ['a NUL character in a symbol', { symbols: ['AAPL', 'A\u0000B'] }, 'symbols[1]'],
    ['from after to', { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'to'],
    ['first of 0', { first: 0 }, 'first'],
    ['first of 101', { first: 101 }, 'first'],
    ['a cursor of another connection', { after: Buffer.from('stock:AAPL').toString('base64url') }, 'after'],
    ['a forged article cursor', { after: Buffer.from('article:yesterday|1').toString('base64url') }, 'after'],
  ])('answers BAD_USER_INPUT for %s', async (_, variables, field) => {
    const result = await t.graphql(NEWS, variables);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('lets a news answer be cached for a minute, public', async () => {
    for (const query of [`{ news(first: 2) { edges { node { title sentiment { label } stocks { symbol } } } pageInfo { hasNextPage } } }`,
      `{ stock(symbol: "AAPL") { name news(first: 2) { edges { cursor node { id } } } } }`]) {
      const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control'), query).toBe('max-age=60, public');
    }
  });

  it('answers BAD_USER_INPUT for Stock.news with first out of range', async () => {
    const error = await t.firstError(STOCK_NEWS, { symbol: 'AAPL', first: 500 });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
