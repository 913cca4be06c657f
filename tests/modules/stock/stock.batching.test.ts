import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candleStampOf, lastCompleteSession } from '../../../src/modules/market/calendar/new-york-calendar.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const MANY_STOCKS = readFileSync(new URL('./fixtures/many-stocks.sql', import.meta.url), 'utf8');

const PAGE_QUERY = `query($first: Int) {
  stocks(first: $first) { edges { node { symbol isBlacklisted quote { price change } candles(last: 30) { close }
    fiftyTwoWeekHigh fiftyTwoWeekLow averageVolume } } }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MANY_STOCKS), env: { GRAPHQL_MAX_ALIASES: '20' } });
});
afterAll(() => t?.close());

async function countQueries(query: string, variables: Record<string, unknown>) {
  t.app.stockRows.invalidate(); // cold: no stock row cached by earlier operations
  t.app.stockDb.queries.reset();
  const result = await t.graphql(query, variables);
  expect(result.errors).toBeUndefined();
  return { result, queries: t.app.stockDb.queries.count };
}

describe('per-parent stock fields are batched', () => {
  it('costs the same number of SQL statements for 1 stock as for 50', async () => {
    const one = await countQueries(PAGE_QUERY, { first: 1 });
    const fifty = await countQueries(PAGE_QUERY, { first: 50 });
    expect(fifty.result.data!.stocks.edges).toHaveLength(50);
    // page + quotes + blacklist + candles + session stats (52-week range, average volume): one statement each, whatever the page size.
    expect(one.queries).toBe(5);
    expect(fifty.queries).toBe(one.queries);
  });

  it('returns each stock its own rows in key order', async () => {
    const { result } = await countQueries(PAGE_QUERY, { first: 50 });
    const edges = result.data!.stocks.edges as any[];
    // The fixture's 40 daily candles end on `newest`; the average covers the 20 latest up to the last complete session.
    const [{ newest }] = await t.stock.sql.query<{ newest: Date }>(`SELECT max(ts) AS newest FROM stock_price`);
    const daysAfterSession = Math.round((new Date(newest).getTime() - candleStampOf(lastCompleteSession(new Date())).getTime()) / 86_400_000);
    const lastCounted = 40 - Math.max(0, daysAfterSession);
    expect(edges.map((e) => e.node.symbol)).toEqual(Array.from({ length: 50 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`));
    for (const { node } of edges) {
      const n = Number(node.symbol.slice(1));
      expect(node.isBlacklisted).toBe(n % 5 === 0);
      expect(node.quote).toEqual({ price: 140.5, change: 1 });
      expect(node.candles).toHaveLength(30);
      expect(node.candles[0].close).toBe(111.5); // the 30 latest of 40 start at day 11
      expect([node.fiftyTwoWeekHigh, node.fiftyTwoWeekLow]).toEqual([141, 100]); // highs 101 + d, lows 99 + d, d = 1..40
      // volume 1000 n + d over d = lastCounted - 19 .. lastCounted, rounded half up.
      expect(node.averageVolume).toBe(1000 * n + Math.round(lastCounted - 9.5));
    }
  });

  it('batches aliased look-ups of single stocks into one query per field', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: stock(symbol: "S${String(i + 1).padStart(2, '0')}") { symbol quote { price } }`).join('\n');
    const { result, queries } = await countQueries(`{ ${aliases} }`, {});
    expect(Object.keys(result.data!)).toHaveLength(20);
    expect(queries).toBe(2);
  });

  it('adds at most one statement per field when data is older than the usual window', async () => {
    await t.stock.sql.exec(`UPDATE stock_price SET ts = ts - interval '400 days'`);
    try {
      const stale = await countQueries(PAGE_QUERY, { first: 50 });
      // page + blacklist + session stats + (recent window, then unbounded) for quotes and for candles.
      expect(stale.queries).toBe(7);
      expect(stale.result.data!.stocks.edges[0].node.quote).toEqual({ price: 140.5, change: 1 });
      expect(stale.result.data!.stocks.edges[0].node.candles).toHaveLength(30);
      // Nothing in the 45-day session window: the same statement falls back to the older sessions.
      expect(stale.result.data!.stocks.edges[0].node.averageVolume).toBe(1000 + 31);
      expect(stale.result.data!.stocks.edges[0].node.fiftyTwoWeekHigh).toBeNull();
    } finally {
      await t.stock.sql.exec(`UPDATE stock_price SET ts = ts + interval '400 days'`);
    }
  });

  it('does not run the count query unless totalCount is asked for', async () => {
    const without = await countQueries(`{ stocks(first: 5) { edges { node { symbol } } } }`, {});
    const withCount = await countQueries(`{ stocks(first: 5) { totalCount edges { node { symbol } } } }`, {});
    expect(withCount.queries - without.queries).toBe(1);
    expect(withCount.result.data!.stocks.totalCount).toBe(60);
  });
});
