import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  candleStampOf,
  closeInstantOf,
  lastCompleteSession,
  marketState,
  previousTradingDay,
} from '../../../src/modules/market/calendar/new-york-calendar.js';
import { startTestApp, type TestApp } from '../../support/app.js';

// A market whose newest DAY candle is a partial session after the last complete one, as once the
// live feed runs (the example: AAPL 162,959 shares so far against 58 million the day before).
//
// symbol  eps    beta  complete sessions (25, ending at the last complete one)   partial candle
// ACT     6.10   1.2   volume 58M on the last, 40M on the 24 before               162,959 shares, high 300
// QUI     -1.50  0.4   volume 5M on every one                                     30M shares (a busy morning)
// NEW     2.00   0.9   no complete session yet                                    50M shares
const LAST = lastCompleteSession(new Date());
const SESSIONS = [LAST];
while (SESSIONS.length < 25) SESSIONS.push(previousTradingDay(SESSIONS.at(-1)!));
/** Stamped one day after the last complete session: whatever it is, it is not complete. */
const PARTIAL = new Date(candleStampOf(LAST).getTime() + 86_400_000).toISOString();

function candles(symbol: string, volumeOf: (i: number) => number | null, partialVolume: number, partialHigh = 110): string[] {
  const rows = SESSIONS.flatMap((date, i) => {
    const volume = volumeOf(i);
    return volume === null ? [] : [`('${symbol}', 'DAY', '${candleStampOf(date).toISOString()}', 100, 105, ${95 - i}, 100, 100, ${volume})`];
  });
  return [...rows, `('${symbol}', 'DAY', '${PARTIAL}', 100, ${partialHigh}, 99, 101, 101, ${partialVolume})`];
}

const FIXTURE = `
INSERT INTO "stock" ("symbol", "name", "sector", "industry", "exchange", "market_cap", "eps", "beta") VALUES
  ('ACT', 'Active Corp.', 'Technology', 'Software', 'NASDAQ', 3000000000000, 6.10, 1.2),
  ('QUI', 'Quiet Inc.', 'Energy', 'Oil & Gas', 'NYSE', 200000000000, -1.50, 0.4),
  ('NEW', 'Newly Listed Ltd.', 'Energy', 'Oil & Gas', 'NYSE', 100000000000, 2.00, 0.9);
INSERT INTO "stock_price" ("symbol", "interval", "ts", "open", "high", "low", "close", "adj_close", "volume") VALUES
  ${[
    ...candles('ACT', (i) => (i === 0 ? 58_000_000 : 40_000_000), 162_959, 300),
    ...candles('QUI', () => 5_000_000, 30_000_000),
    ...candles('NEW', () => null, 50_000_000),
  ].join(',\n  ')};
INSERT INTO "numeric_filter" ("id", "key", "label", "column_name", "unit", "min_value", "max_value") VALUES
  (1, 'volume', 'Volume (last session)', 'volume', 'shares', 0, 10000000000),
  (2, 'average_volume', 'Average volume (20 sessions)', 'average_volume', 'shares', 0, 10000000000),
  (3, 'eps', 'EPS', 'eps', 'USD', -1000, 10000),
  (4, 'beta', 'Beta', 'beta', 'ratio', -5, 5);
INSERT INTO "screener" ("id", "key", "name", "description", "criteria") VALUES
  (1, 'most_active', 'Most active', 'At least 20 million shares in the last complete session.',
   '{"numeric":[{"filterKey":"volume","min":20000000}],"categorical":[]}');
`;

const RUN = `query($input: ScreenerInput!) { runScreener(input: $input) { totalCount edges { node { symbol } } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(FIXTURE) });
});
afterAll(() => t?.close());

async function run(input: Record<string, unknown>) {
  const { data, errors } = await t.graphql(RUN, { input });
  expect(errors).toBeUndefined();
  return { symbols: data!.runScreener.edges.map((e: any) => e.node.symbol), totalCount: data!.runScreener.totalCount };
}

describe('volumes come from the last complete session, not the partial candle', () => {
  it('"Most active" returns the stock with 58M shares last session, not the one busy this morning', async () => {
    const { data, errors } = await t.graphql(`{ screeners { key results { totalCount edges { node { symbol } } } } }`);
    expect(errors).toBeUndefined();
    const [mostActive] = data!.screeners;
    expect(mostActive.results.edges.map((e: any) => e.node.symbol)).toEqual(['ACT']);
    expect(mostActive.results.totalCount).toBe(1);
  });

  it('applies a volume filter and the VOLUME sort to last session volumes; a stock with none sorts last', async () => {
    expect(await run({ numeric: [{ filterId: '1', min: 20_000_000 }] })).toEqual({ symbols: ['ACT'], totalCount: 1 });
    expect(await run({ numeric: [{ filterId: '1', max: 10_000_000 }] })).toEqual({ symbols: ['QUI'], totalCount: 1 });
    const sorted = await run({ sort: { field: 'VOLUME', direction: 'DESC' } });
    expect(sorted.symbols).toEqual(['ACT', 'QUI', 'NEW']);
  });

  it('filters on the 20-session average volume, EPS and beta', async () => {
    // ACT: (58M + 19 x 40M) / 20 = 40.9M; QUI 5M; NEW has no complete session.
    expect(await run({ numeric: [{ filterId: '2', min: 40_900_000, max: 40_900_000 }] })).toEqual({ symbols: ['ACT'], totalCount: 1 });
    expect(await run({ numeric: [{ filterId: '3', min: 0 }] })).toEqual({ symbols: ['ACT', 'NEW'], totalCount: 2 });
    expect(await run({ numeric: [{ filterId: '4', max: 0.5 }] })).toEqual({ symbols: ['QUI'], totalCount: 1 });
  });

  it('answers BAD_USER_INPUT for a fundamentals filter the catalogue does not have', async () => {
    const { data, errors } = await t.graphql(RUN, { input: { numeric: [{ filterId: '3', min: 0 }, { filterId: '99', min: 1 }] } });
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({
      message: 'numeric[1].filterId: no numeric filter 99',
      extensions: { code: 'BAD_USER_INPUT', field: 'numeric[1].filterId' },
    });
  });
});

describe('Stock fundamentals and Quote sessions', () => {
  it('serves stored and derived fundamentals: the 52-week range includes the partial session, the average does not', async () => {
    const { data, errors } = await t.graphql(`{
      act: stock(symbol: "ACT") { eps beta peRatio dividendYield description website fiftyTwoWeekHigh fiftyTwoWeekLow averageVolume }
      new: stock(symbol: "NEW") { averageVolume fiftyTwoWeekHigh } }`);
    expect(errors).toBeUndefined();
    expect(data!.act).toEqual({
      eps: 6.1,
      beta: 1.2,
      peRatio: null,
      dividendYield: null,
      description: null,
      website: null,
      fiftyTwoWeekHigh: 300,
      fiftyTwoWeekLow: 71, // 95 - 24 on the oldest session
      averageVolume: 40_900_000,
    });
    expect(data!.new).toEqual({ averageVolume: null, fiftyTwoWeekHigh: 110 });
  });

  it("gives every quote the market state now, and a daily candle's quote the time it was observed", async () => {
    const before = new Date();
    const { data, errors } = await t.graphql(`{ stock(symbol: "QUI") { quote { volume timestamp marketState } } }`);
    const after = new Date();
    expect(errors).toBeUndefined();
    const quote = data!.stock.quote;
    expect([marketState(before), marketState(after)]).toContain(quote.marketState);
    // The latest candle is still the partial one: its volume, seen no later than now.
    expect(quote.volume).toBe(30_000_000);
    const observed = new Date(quote.timestamp).getTime();
    expect(observed).toBeLessThanOrEqual(after.getTime());
    expect(observed).toBeGreaterThan(closeInstantOf(LAST).getTime());
  });
});
