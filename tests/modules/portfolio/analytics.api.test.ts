import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeInstantOf } from '../../../src/modules/market/calendar/new-york-calendar.js';
import { writeEodSnapshots } from '../../../src/modules/portfolio/snapshot.service.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { workedBooks, workedCandles, workedDates } from './fixtures/analytics.js';
import { CREATE, DEPOSIT, RECORD } from './operations.js';
import { PLACE } from './order-operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const d = workedDates();

let t: TestApp;
let ada: SignedUpUser;
let worked: string;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestApp({ prepareStock: async (db) => db.sql.exec(MARKET + workedCandles(d)) });
  ada = await signUp(t, 'ada');
  worked = await newPortfolio();
  await t.user.sql.exec(workedBooks(worked, d));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.close();
});

const ok = <T = any>(query: string, variables: Record<string, unknown>, user: SignedUpUser = ada) => t.data<T>(query, variables, user.headers);
async function newPortfolio(user = ada): Promise<string> {
  return (await ok(CREATE, { input: { name: 'Worked' } }, user)).createPortfolio.id;
}

const PERFORMANCE = `query($id: ID!, $range: PerformanceRange, $benchmark: String) { portfolio(id: $id) {
  performance(range: $range, benchmark: $benchmark) { from to timeWeightedReturn moneyWeightedReturn totalReturn benchmarkReturn series { date value } }
  risk(range: $range, benchmark: $benchmark) { volatility sharpe sortino beta correlation maxDrawdown { value from to } valueAtRisk95 }
} }`;

// The same figures as tests/modules/portfolio/analytics-math.test.ts, where each one is worked by hand.
const R = [0, 0.01, -30 / 10_100, 130 / 8_070];
const B = [0.01, 0.01, -0.01, 0.02];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe('Portfolio.performance', () => {
  it('rebuilds one point per session from the books and the DAY closes, with today live, when pnl_book is empty', async () => {
    const { performance } = (await ok(PERFORMANCE, { id: worked, range: 'ONE_MONTH' })).portfolio;
    const inception = new Date(Date.parse(`${d.d1}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(performance.series).toEqual([
      { date: inception, value: 0 },
      { date: d.d1, value: 10_000 },
      { date: d.d2, value: 10_100 },
      { date: d.d3, value: 10_070 },
      { date: d.today, value: 8_200 },
    ]);
    expect(performance.from).toBe(inception);
    expect(performance.to).toBe(d.today);
    expect(performance.timeWeightedReturn).toBeCloseTo(187.4 / 8_070, 9);
    expect(performance.totalReturn).toBeCloseTo(0.02, 12);
    // −10,000 on d1; +2,000 and +8,200 today: 10,000 (1 + r)^(n/365) = 10,200
    expect(performance.moneyWeightedReturn).toBeCloseTo(1.02 ** (365 / days(d.d1, d.today)) - 1, 5);
    // SPY from the close before d1 (500) to today (515.04849)
    expect(performance.benchmarkReturn).toBeCloseTo(515.04849 / 500 - 1, 9);
  });

  it('starts a short range at its anchor, with everything before folded into the opening value', async () => {
    const { performance } = (await ok(PERFORMANCE, { id: worked, range: 'ONE_DAY' })).portfolio;
    // ONE_DAY: from the previous session's close (d3: 10,070) to today (8,200 after the 2,000 withdrawal).
    expect(performance.series).toEqual([{ date: d.d3, value: 10_070 }, { date: d.today, value: 8_200 }]);
    expect(performance.timeWeightedReturn).toBeCloseTo(130 / 8_070, 9);
    // gain = 8,200 − 10,070 + 2,000 = 130 over a start of 10,070 (no inflows)
    expect(performance.totalReturn).toBeCloseTo(130 / 10_070, 9);
    expect(performance.benchmarkReturn).toBeCloseTo(0.02, 9);
  });

  it('gives risk of the daily returns against the benchmark', async () => {
    const { risk } = (await ok(PERFORMANCE, { id: worked, range: 'ONE_MONTH', benchmark: 'spy' })).portfolio;
    expect(risk.volatility).toBeCloseTo(sd(R) * Math.sqrt(252), 8);
    expect(risk.sharpe).toBeCloseTo(((mean(R) - 0.04 / 252) / sd(R)) * Math.sqrt(252), 6);
    const devB = B.map((b) => b - mean(B));
    const cov = R.reduce((a, r, i) => a + (r - mean(R)) * devB[i]!, 0) / 3;
    expect(risk.beta).toBeCloseTo(cov / sd(B) ** 2, 6);
    expect(risk.correlation).toBeCloseTo(cov / (sd(R) * sd(B)), 6);
    expect(risk.maxDrawdown).toEqual({ value: expect.closeTo(1.007 / 1.01 - 1, 9), from: d.d2, to: d.d3 });
    expect(risk.valueAtRisk95).toBeCloseTo(0.85 * (30 / 10_100) * 8_200, 4);
    expect(risk.sortino).toBeGreaterThan(0);
  });

  it('refuses an unknown benchmark and answers nulls and an empty series for a portfolio with empty books', async () => {
    const bad = await t.graphql(PERFORMANCE, { id: worked, benchmark: 'NOPE' }, ada.headers);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toBe('benchmark: unknown symbol NOPE');
    const empty = await newPortfolio();
    const { performance, risk } = (await ok(PERFORMANCE, { id: empty, range: 'MAX' })).portfolio;
    expect(performance).toEqual({ from: null, to: null, timeWeightedReturn: null, moneyWeightedReturn: null, totalReturn: null, benchmarkReturn: null, series: [] });
    expect(risk).toEqual({ volatility: null, sharpe: null, sortino: null, beta: null, correlation: null, maxDrawdown: null, valueAtRisk95: null });
  });

  it('costs a range by its days in the cost guard', async () => {
    const five = `performance(range: FIVE_YEARS) { totalReturn }`;
    const query = (n: number) => `query($id: ID!) { portfolio(id: $id) { ${Array.from({ length: n }, (_, i) => `p${i}: ${five}`).join(' ')} } }`;
    expect((await t.graphql(query(1), { id: worked }, ada.headers)).errors).toBeUndefined();
    expect((await t.graphql(query(5), { id: worked }, ada.headers)).errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('Portfolio.allocation', () => {
  it('splits the live value by symbol, sector, currency and asset class, cash included, largest first', async () => {
    const q = `query($id: ID!) { portfolio(id: $id) {
      symbol: allocation(by: SYMBOL) { key value weight } sector: allocation(by: SECTOR) { key value weight }
      currency: allocation(by: CURRENCY) { key value weight } assetClass: allocation(by: ASSET_CLASS) { key value weight } } }`;
    const p = (await ok(q, { id: worked })).portfolio;
    expect(p.symbol).toEqual([
      { key: 'CASH', value: 4_200, weight: expect.closeTo(4_200 / 8_200, 9) },
      { key: 'MSFT', value: 2_050, weight: expect.closeTo(2_050 / 8_200, 9) },
      { key: 'AAPL', value: 1_950, weight: expect.closeTo(1_950 / 8_200, 9) },
    ]);
    expect(p.sector).toEqual([
      { key: 'CASH', value: 4_200, weight: expect.closeTo(4_200 / 8_200, 9) },
      { key: 'Technology', value: 4_000, weight: expect.closeTo(4_000 / 8_200, 9) },
    ]);
    expect(p.currency).toEqual([{ key: 'USD', value: 8_200, weight: 1 }]);
    expect(p.assetClass.map((s: { key: string }) => s.key)).toEqual(['CASH', 'EQUITY']);
  });

  it('groups by the listing\'s own asset class: a fund is ETF, a company EQUITY', async () => {
    const id = await newPortfolio();
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 2_000, idempotencyKey: `etf-${id}` } });
    const trade = (symbol: string, price: number) =>
      ok(RECORD, { input: { portfolioId: id, symbol, side: 'BUY', quantity: 2, price, fee: 0, currency: 'USD', executedAt: `${d.d3}T15:00:00Z` } });
    await trade('SPY', 500);
    await trade('AAPL', 185);
    const { portfolio } = await ok(`query($id: ID!) { portfolio(id: $id) { allocation(by: ASSET_CLASS) { key value } } }`, { id });
    // Today's closes: SPY 515.04849, AAPL 195; cash 2,000 - 1,000 - 370.
    expect(portfolio.allocation).toEqual([
      { key: 'ETF', value: expect.closeTo(2 * 515.04849, 6) },
      { key: 'CASH', value: 630 },
      { key: 'EQUITY', value: 390 },
    ]);
  });
});

describe('the end-of-day snapshot', () => {
  const after = (date: string) => new Date(closeInstantOf(date).getTime() + 60_000);
  const snapshot = async (date: string) =>
    t.user.sql.query<{ portfolio_value: string; cash: string; invested: string; day_pnl: string }>(
      `SELECT portfolio_value::text, cash::text, invested::text, day_pnl::text FROM pnl_book WHERE portfolio_id = $1 AND date = $2`, [worked, date]);

  it('writes the worked values for the last complete session, once however often it runs', async () => {
    const userDb = t.app.userDb.prisma;
    const stockDb = t.app.stockDb.prisma;
    // Before d2's close the last complete session is d1.
    expect((await writeEodSnapshots(userDb, stockDb, new Date(closeInstantOf(d.d2).getTime() - 60_000))).date).toBe(d.d1);
    const first = await writeEodSnapshots(userDb, stockDb, after(d.d3));
    expect(first).toMatchObject({ date: d.d3, failed: 0 });
    expect(first.written).toBeGreaterThanOrEqual(1);
    // d3: cash 6,200 + 10 AAPL × 185 + 5 MSFT × 404 = 10,070; cost 1,800 + 2,000; day P&L 10,070 − 10,100 − 0 = −30
    expect(await snapshot(d.d3)).toEqual([{ portfolio_value: '10070.000000', cash: '6200.000000', invested: '3800.000000', day_pnl: '-30.000000' }]);
    expect((await writeEodSnapshots(userDb, stockDb, after(d.d3))).written).toBe(0);
    // Two runs at once (two processes without the job lock): still one row.
    await Promise.all([writeEodSnapshots(userDb, stockDb, after(d.d2)), writeEodSnapshots(userDb, stockDb, after(d.d2))]);
    // d2: cash 8,200 + 10 × 190 = 10,100; day P&L 10,100 − 10,000 = +100
    expect(await snapshot(d.d2)).toEqual([{ portfolio_value: '10100.000000', cash: '8200.000000', invested: '1800.000000', day_pnl: '100.000000' }]);
    // d1: the deposit is a flow, not a gain: 10,000 − 0 − 10,000 = 0
    await writeEodSnapshots(userDb, stockDb, after(d.d1));
    expect(await snapshot(d.d1)).toEqual([{ portfolio_value: '10000.000000', cash: '8200.000000', invested: '1800.000000', day_pnl: '0.000000' }]);
  });

  it('leaves performance unchanged once the snapshots exist, and runs as a scheduled job', async () => {
    const { performance } = (await ok(PERFORMANCE, { id: worked, range: 'ONE_MONTH' })).portfolio;
    expect(performance.series.map((p: { value: number }) => p.value)).toEqual([0, 10_000, 10_100, 10_070, 8_200]);
    expect(performance.timeWeightedReturn).toBeCloseTo(187.4 / 8_070, 9);
    const job = t.app.jobs.find((j) => j.name === 'portfolio-snapshots')!;
    expect(await t.app.scheduler.tick(job)).toBe('ran');
  });
});

describe('portfolioValueUpdated', () => {
  const SUBSCRIPTION = `subscription($id: ID!) { portfolioValueUpdated(portfolioId: $id) { totalValue dayChange timestamp } }`;
  function client(user: SignedUpUser): Client {
    const c = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: user.headers.authorization }, retryAttempts: 0, lazy: true });
    clients.push(c);
    return c;
  }
  const until = async (condition: () => boolean, ms = 8000) => {
    const deadline = Date.now() + ms;
    while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('pushes the current value first, then coalesces a burst of ticks into at most one update a second', async () => {
    const results: any[] = [];
    const errors: unknown[] = [];
    const stop = client(ada).subscribe({ query: SUBSCRIPTION, variables: { id: worked } }, { next: (v) => results.push(v), error: (e) => errors.push(e), complete: () => undefined });
    await until(() => results.length >= 1);
    expect(results[0].data.portfolioValueUpdated.totalValue).toBe(8_200);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the stream listens before it reads; let the subscription settle
    const prices = Array.from({ length: 20 }, (_, i) => 196 + i);
    for (const price of prices) {
      await t.app.publishPrice({ symbol: 'AAPL', price, previousClose: 185, change: price - 185, changePercent: ((price - 185) / 185) * 100, volume: 1, timestamp: new Date() });
    }
    const last = 4_200 + 10 * prices[prices.length - 1]! + 2_050;
    await until(() => results.at(-1)?.data.portfolioValueUpdated.totalValue === last);
    expect(results.at(-1).data.portfolioValueUpdated.totalValue).toBe(last);
    // 20 ticks: the first value plus one recomputation at the end of the window (two if the burst straddled it).
    expect(results.length).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(results.length).toBeLessThanOrEqual(3);
    expect(errors).toEqual([]);
    stop();
  });

  it('follows a change of the books at once: a deposit moves the value, and a newly bought symbol\'s ticks are followed', async () => {
    const id = await newPortfolio();
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 1_000, idempotencyKey: `live-${id}` } });
    const values: number[] = [];
    const stop = client(ada).subscribe({ query: SUBSCRIPTION, variables: { id } }, { next: (v) => values.push((v.data as any).portfolioValueUpdated.totalValue), error: () => undefined, complete: () => undefined });
    await until(() => values.length >= 1);
    expect(values[0]).toBe(1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await ok(DEPOSIT, { input: { portfolioId: id, amount: 500, idempotencyKey: `live2-${id}` } });
    await until(() => values.at(-1) === 1_500);
    expect(values.at(-1)).toBe(1_500);
    // Bought after the subscription started: MSFT was not held, so only the change announcement makes its ticks count.
    await ok(RECORD, { input: { portfolioId: id, symbol: 'MSFT', side: 'BUY', quantity: 1, price: 410, fee: 0, currency: 'USD', executedAt: new Date().toISOString() } });
    await until(() => values.at(-1) === 1_500 && values.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the throttle window
    await t.app.publishPrice({ symbol: 'MSFT', price: 420, previousClose: 410, change: 10, changePercent: 2.439, volume: 1, timestamp: new Date() });
    await until(() => values.at(-1) === 1_090 + 420);
    expect(values.at(-1)).toBe(1_090 + 420); // cash 1,500 - 410, and the share at its new price
    stop();
  });

  it('follows a symbol first bought after the subscription started: the fill, then its ticks, move the value', async () => {
    const fresh = await newPortfolio();
    await ok(DEPOSIT, { input: { portfolioId: fresh, amount: 2_000, idempotencyKey: `fresh-${fresh}` } });
    const results: any[] = [];
    const stop = client(ada).subscribe({ query: SUBSCRIPTION, variables: { id: fresh } }, { next: (v) => results.push(v), error: () => undefined, complete: () => undefined });
    const latest = () => results.at(-1)?.data.portfolioValueUpdated.totalValue;
    await until(() => results.length >= 1);
    expect(latest()).toBe(2_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the subscription settle, as above

    await ok(PLACE, { input: { portfolioId: fresh, symbol: 'MSFT', side: 'BUY', quantity: 2, type: 'MARKET' } });
    const fill = { symbol: 'MSFT', price: 400, volume: 1_000_000, timestamp: new Date(Date.now() + 1_000) };
    await t.app.publishPrice({ ...fill, previousClose: 396, change: 4, changePercent: 1 });
    expect((await t.app.orderFills.match([{ ...fill, price: '400.00' }])).fills).toBe(1);
    const value = async () => (await ok(`query($id: ID!) { portfolio(id: $id) { totalValue } }`, { id: fresh })).portfolio.totalValue as number;
    const afterFill = await value();
    expect(afterFill).not.toBe(2_000); // commission and slippage
    await until(() => latest() === afterFill);
    expect(latest()).toBe(afterFill);

    await t.app.publishPrice({ symbol: 'MSFT', price: 420, previousClose: 396, change: 24, changePercent: 6, volume: 1, timestamp: new Date() });
    const afterTick = await value();
    expect(afterTick).toBeCloseTo(afterFill + 40, 6);
    await until(() => latest() === afterTick);
    expect(latest()).toBe(afterTick);
    stop();
  });

  it('answers NOT_FOUND for another user’s portfolio', async () => {
    const mallory = await signUp(t, 'mallory');
    const got: any[] = [];
    await new Promise<void>((resolve) => {
      client(mallory).subscribe({ query: SUBSCRIPTION, variables: { id: worked } }, {
        next: (v) => got.push(v),
        error: (e) => {
          got.push({ errors: e });
          resolve();
        },
        complete: () => resolve(),
      });
    });
    const errors = got[0]?.errors;
    expect(JSON.stringify(errors)).toContain('NOT_FOUND');
  });
});
