import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorService } from '../../../src/modules/indicator/indicator.service.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { engineValues } from './indicator-db.js';

const MANY_STOCKS = readFileSync(new URL('./fixtures/many-stocks.sql', import.meta.url), 'utf8');

const PAGE_QUERY = `query($first: Int) {
  stocks(first: $first) { edges { node { symbol indicators { rsi14 } indicatorSeries(last: 30) { sma20 } } } }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MANY_STOCKS) });
  await new IndicatorService(t.app.stockDb.prisma).recompute();
});
afterAll(() => t?.close());

async function countQueries(query: string, variables: Record<string, unknown> = {}) {
  t.app.stockRows.invalidate(); // cold: no stock row cached by earlier operations
  t.app.stockDb.queries.reset();
  const result = await t.graphql(query, variables);
  expect(result.errors).toBeUndefined();
  return { result, queries: t.app.stockDb.queries.count };
}

describe('indicator fields are batched', () => {
  it('costs the same number of SQL statements for 1 stock as for 50', async () => {
    const one = await countQueries(PAGE_QUERY, { first: 1 });
    const fifty = await countQueries(PAGE_QUERY, { first: 50 });
    expect(fifty.result.data!.stocks.edges).toHaveLength(50);
    // page + latest indicators + series: one statement each, whatever the page size.
    expect(one.queries).toBe(3);
    expect(fifty.queries).toBe(one.queries);
  });

  it('returns each stock its own points in key order', async () => {
    const { result } = await countQueries(PAGE_QUERY, { first: 50 });
    for (const { node } of result.data!.stocks.edges as any[]) {
      const expected = await engineValues(t.stock, node.symbol);
      expect(node.indicators).toEqual({ rsi14: expected.at(-1)!.rsi14 });
      expect(node.indicatorSeries).toEqual(expected.slice(10).map((v) => ({ sma20: v.sma20 })));
    }
  });

  it('adds one statement per distinct set of series arguments, not per stock', async () => {
    const { queries } = await countQueries(`{ stocks(first: 50) { edges { node {
      a: indicatorSeries(last: 5) { sma20 } b: indicatorSeries(last: 5) { ema12 } c: indicatorSeries(last: 10) { ema26 } } } } }`);
    expect(queries).toBe(3);
  });
});
