import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StrategyEvaluator } from '../../../src/modules/strategy/strategy-evaluator.js';
import { noPredictions, type PredictionSignals } from '../../../src/modules/strategy/strategy-signals.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testServerUrl } from '../../support/databases.js';
import { CREATE, DEPOSIT } from '../portfolio/operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('strategies.api.test: the evaluator race needs real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite, which has one connection');

const STRATEGY_FIELDS = 'id portfolioId kind symbols fastPeriod slowPeriod period lower upper modelId minConfidence sizingMode quantity percentOfCash enabled disabledAt';
const ENABLE = `mutation($portfolioId: ID!, $input: EnableStrategyInput!) { enableStrategy(portfolioId: $portfolioId, input: $input) { ${STRATEGY_FIELDS} } }`;
const DISABLE = `mutation($id: ID!) { disableStrategy(id: $id) { ${STRATEGY_FIELDS} } }`;
const LIST = `query($id: ID!) { portfolio(id: $id) { strategies { id kind enabled } } }`;
const BACKTEST = `query($input: BacktestInput!) { backtest(input: $input) {
  currency initialCash finalValue totalReturn sharpe maxDrawdown
  trades { symbol side quantity price commission slippageBps signalAt executedAt } equityCurve { ts value } } }`;

let t: TestApp;
let owner: SignedUpUser;
let other: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  owner = await signUp(t, 'strategist');
  other = await signUp(t, 'stranger');
});
afterAll(() => t?.close());

const smaOn = (symbol: string, quantity = 5) => ({ strategy: { kind: 'SMA_CROSSOVER', fastPeriod: 1, slowPeriod: 2, sizingMode: 'FIXED_QUANTITY', quantity }, symbols: [symbol] });

async function funded(amount = 1000): Promise<string> {
  const id = (await t.data(CREATE, { input: { name: 'Strategies' } }, owner.headers)).createPortfolio.id as string;
  await t.data(DEPOSIT, { input: { portfolioId: id, amount, idempotencyKey: randomUUID() } }, owner.headers);
  return id;
}

function evaluator(predictions: PredictionSignals = noPredictions): StrategyEvaluator {
  const { app } = t;
  return new StrategyEvaluator({ userDb: app.userDb.prisma, stockDb: app.stockDb, cache: app.cache, bus: app.bus, orders: app.config.orders, predictions });
}

const count = async (sql: string, params: unknown[]) => Number((await t.user.sql.query<{ n: number }>(sql, params))[0]!.n);
const ordersOf = (portfolioId: string) => t.user.sql.query<{ side: string; type: string; quantity: string; client_order_id: string; status: string }>(
  `SELECT side::text, type::text, quantity::text, client_order_id, status::text FROM orders WHERE portfolio_id = $1`, [portfolioId]);
const eventsOf = async (portfolioId: string) =>
  (await t.user.sql.query<{ type: string }>(`SELECT type::text FROM trading_events WHERE portfolio_id = $1 ORDER BY id`, [portfolioId])).map((r) => r.type);
const disableAll = () => t.user.sql.query(`UPDATE strategy SET enabled = false`);

describe('enableStrategy, disableStrategy and Portfolio.strategies', () => {
  it('enables a validated strategy with its defaults filled in and lists it on the portfolio', async () => {
    const id = await funded();
    const enabled = (await t.data(ENABLE, { portfolioId: id, input: { strategy: { kind: 'RSI_MEAN_REVERSION' }, symbols: ['siga'] } }, owner.headers)).enableStrategy;
    expect(enabled).toMatchObject({ portfolioId: id, kind: 'RSI_MEAN_REVERSION', symbols: ['SIGA'], period: 14, lower: 30, upper: 70, sizingMode: 'PERCENT_OF_CASH', percentOfCash: 10, enabled: true, fastPeriod: null });
    expect((await t.data(LIST, { id }, owner.headers)).portfolio.strategies).toEqual([{ id: enabled.id, kind: 'RSI_MEAN_REVERSION', enabled: true }]);
    const disabled = (await t.data(DISABLE, { id: enabled.id }, owner.headers)).disableStrategy;
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledAt).not.toBeNull();
  });

  it('refuses bad parameters, unknown symbols and a FOLLOW_MODEL without a model as BAD_USER_INPUT, writing nothing', async () => {
    const id = await funded();
    const bad = [
      { strategy: { kind: 'SMA_CROSSOVER', fastPeriod: 50, slowPeriod: 20 }, symbols: ['SIGA'] },
      { strategy: { kind: 'RSI_MEAN_REVERSION', lower: 80, upper: 70 }, symbols: ['SIGA'] },
      { strategy: { kind: 'FOLLOW_MODEL' }, symbols: ['SIGA'] },
      { strategy: { kind: 'SMA_CROSSOVER', sizingMode: 'FIXED_QUANTITY' }, symbols: ['SIGA'] },
      { strategy: { kind: 'SMA_CROSSOVER' }, symbols: ['NOPE'] },
      { strategy: { kind: 'SMA_CROSSOVER' }, symbols: [] },
    ];
    for (const input of bad) expect((await t.firstError(ENABLE, { portfolioId: id, input }, owner.headers)).extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count('SELECT count(*)::int AS n FROM strategy WHERE portfolio_id = $1', [id])).toBe(0);
  });

  it('answers NOT_FOUND for another user’s portfolio or strategy, exactly as for an unknown one', async () => {
    const id = await funded();
    expect((await t.firstError(ENABLE, { portfolioId: id, input: smaOn('SIGA') }, other.headers)).extensions?.code).toBe('NOT_FOUND');
    const mine = (await t.data(ENABLE, { portfolioId: id, input: smaOn('SIGA') }, owner.headers)).enableStrategy;
    expect((await t.firstError(DISABLE, { id: mine.id }, other.headers)).extensions?.code).toBe('NOT_FOUND');
    expect((await t.firstError(DISABLE, { id: randomUUID() }, owner.headers)).extensions?.code).toBe('NOT_FOUND');
    await t.data(DISABLE, { id: mine.id }, owner.headers);
  });
});

describe('the strategy evaluator', () => {
  it('places one paper market order for a signal on the latest daily bar and logs signal_generated; a second pass places nothing', async () => {
    await disableAll();
    const id = await funded();
    await t.data(ENABLE, { portfolioId: id, input: smaOn('SIGA', 5) }, owner.headers);
    const first = await evaluator().evaluate();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ symbol: 'SIGA', side: 'BUY', claimed: true, outcome: null });
    expect(first[0]!.barTs).toEqual(new Date('2026-01-07T21:00:00Z'));
    const orders = await ordersOf(id);
    expect(orders).toEqual([{ side: 'BUY', type: 'MARKET', quantity: '5.000000', client_order_id: expect.stringMatching(/^sig:[0-9a-f-]{36}$/), status: 'NEW' }]);
    expect(await eventsOf(id)).toEqual(['SIGNAL_GENERATED', 'PLACED']);

    const second = await evaluator().evaluate();
    expect(second.map((o) => o.claimed)).toEqual([false]);
    expect(await ordersOf(id)).toHaveLength(1);
    expect(await eventsOf(id)).toEqual(['SIGNAL_GENERATED', 'PLACED']);
  });

  it('records why a signal placed no order when the buy cannot be reserved (same rules as placeOrder)', async () => {
    await disableAll();
    const id = await funded(10); // 5 × 11 plus margin and commission is far more than 10
    await t.data(ENABLE, { portfolioId: id, input: smaOn('SIGA', 5) }, owner.headers);
    const [outcome] = await evaluator().evaluate();
    expect(outcome!.orderId).toBeNull();
    expect(outcome!.outcome).toMatch(/^no order: Insufficient funds/);
    expect(await ordersOf(id)).toEqual([]);
    expect(await eventsOf(id)).toEqual(['SIGNAL_GENERATED']);
  });

  it('follows a model through PredictionSignals: an UP prediction above the confidence buys', async () => {
    await disableAll();
    const id = await funded();
    await t.data(ENABLE, { portfolioId: id, input: { strategy: { kind: 'FOLLOW_MODEL', modelId: 'test-model', minConfidence: 0.7, sizingMode: 'FIXED_QUANTITY', quantity: 2 }, symbols: ['SIGA'] } }, owner.headers);
    const asked: string[] = [];
    const double: PredictionSignals = {
      latest: async (modelId, symbol) => {
        asked.push(`${modelId}/${symbol}`);
        return { direction: 'UP', confidence: 0.8, asOf: new Date() };
      },
      history: noPredictions.history,
    };
    expect(await evaluator(noPredictions).evaluate()).toEqual([]);
    const [outcome] = await evaluator(double).evaluate();
    expect(asked).toEqual(['test-model/SIGA']);
    expect(outcome).toMatchObject({ side: 'BUY', claimed: true });
    expect((await ordersOf(id)).map((o) => [o.side, o.quantity])).toEqual([['BUY', '2.000000']]);
  });

  it.skipIf(!realPostgres)('lets only one of several evaluators racing on the same signal place the order (real PostgreSQL)', async () => {
    await disableAll();
    const id = await funded();
    const strategy = (await t.data(ENABLE, { portfolioId: id, input: smaOn('SIGA', 3) }, owner.headers)).enableStrategy;
    const results = (await Promise.all(Array.from({ length: 6 }, () => evaluator().evaluate()))).flat();
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(results.filter((r) => r.orderId)).toHaveLength(1);
    expect(await ordersOf(id)).toHaveLength(1);
    expect(await count('SELECT count(*)::int AS n FROM strategy_signal WHERE strategy_id = $1', [strategy.id])).toBe(1);
    expect(await eventsOf(id)).toEqual(['SIGNAL_GENERATED', 'PLACED']);
  });
});

describe('backtest', () => {
  const input = (overrides: Record<string, unknown> = {}) => ({
    input: { strategy: { kind: 'SMA_CROSSOVER', fastPeriod: 1, slowPeriod: 2, sizingMode: 'FIXED_QUANTITY', quantity: 10 }, symbols: ['BTST'], from: '2026-01-01T00:00:00Z', to: '2026-01-31T00:00:00Z', initialCash: 1000, ...overrides },
  });

  it('replays stored daily candles: the golden cross buys at the next open, the death cross sells, the curve has one point a bar', async () => {
    const report = (await t.data(BACKTEST, input(), owner.headers)).backtest;
    expect(report.currency).toBe('USD');
    expect(report.trades.map((tr: { side: string; quantity: string; executedAt: string }) => [tr.side, tr.quantity, tr.executedAt])).toEqual([
      ['BUY', '10', '2026-01-08T21:00:00.000Z'],
      ['SELL', '10', '2026-01-12T21:00:00.000Z'],
    ]);
    // The default fill model slips against the order and charges commission, so the buy is at or above the 12 open.
    expect(Number(report.trades[0].price)).toBeGreaterThanOrEqual(12);
    expect(Number(report.trades[1].price)).toBeLessThanOrEqual(11);
    expect(report.equityCurve).toHaveLength(6);
    expect(report.equityCurve[0].value).toBe('1000');
    expect(report.finalValue).toBe(report.equityCurve[5].value);
    expect(Number(report.totalReturn)).toBeCloseTo(Number(report.finalValue) / 1000 - 1, 8);
    expect(report.maxDrawdown).toBeGreaterThan(0);
  });

  it('replays FOLLOW_MODEL from stored predictions: each bar follows the latest prediction made from closes up to it', async () => {
    const [model] = await t.stock.sql.query<{ id: number }>(
      `INSERT INTO model (name, version, type, artifact_path) VALUES ('follow-test', '1', 'NAIVE', '/dev/null') RETURNING id`);
    const predict = (asOf: string, direction: string, confidence: number) =>
      t.stock.sql.query(
        `INSERT INTO prediction (model_id, symbol, horizon, as_of, base_price, target_price, low, high, direction, confidence)
         VALUES ($1, 'BTST', 7, $2::timestamptz, 10, 11, 9, 12, $3, $4)`,
        [model!.id, asOf, direction, confidence],
      );
    await predict('2026-01-05T21:00:00Z', 'UP', 0.3); // below minConfidence: nothing
    await predict('2026-01-06T21:00:00Z', 'UP', 0.9); // buys at the next opens while it is the latest (Jan 6 and Jan 7 bars)
    await predict('2026-01-08T21:00:00Z', 'DOWN', 0.9); // sells what is held at the next open
    await predict('2026-01-08T21:00:00Z', 'UP', 0.9).then(() => t.stock.sql.query(`UPDATE prediction SET horizon = 30 WHERE direction = 'UP' AND as_of = '2026-01-08T21:00:00Z'`)); // another horizon: ignored
    const follow = { kind: 'FOLLOW_MODEL', modelId: 'follow-test', minConfidence: 0.7, sizingMode: 'FIXED_QUANTITY', quantity: 10 };
    const report = (await t.data(BACKTEST, input({ strategy: follow }), owner.headers)).backtest;
    expect(report.trades.map((tr: { side: string; quantity: string; signalAt: string; executedAt: string }) => [tr.side, tr.quantity, tr.signalAt, tr.executedAt])).toEqual([
      ['BUY', '10', '2026-01-06T21:00:00.000Z', '2026-01-07T21:00:00.000Z'],
      ['BUY', '10', '2026-01-07T21:00:00.000Z', '2026-01-08T21:00:00.000Z'],
      ['SELL', '20', '2026-01-08T21:00:00.000Z', '2026-01-09T21:00:00.000Z'],
    ]);
    // By registry id too; a model with no predictions in the range is a clear BAD_USER_INPUT.
    const byId = (await t.data(BACKTEST, input({ strategy: { ...follow, modelId: String(model!.id) } }), owner.headers)).backtest;
    expect(byId.trades).toHaveLength(3);
    const none = await t.firstError(BACKTEST, input({ strategy: { ...follow, modelId: 'never-trained' } }), owner.headers);
    expect(none.extensions?.code).toBe('BAD_USER_INPUT');
    expect(none.message).toMatch(/no stored predictions of never-trained/);
  });

  it('answers BAD_USER_INPUT for an unknown symbol, from after to, a range without candles, negative cash or a FOLLOW_MODEL without stored predictions', async () => {
    const cases = [
      input({ symbols: ['NOPE'] }),
      input({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
      input({ from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' }),
      input({ symbols: ['NOCA'] }),
      input({ initialCash: -5 }),
      input({ strategy: { kind: 'FOLLOW_MODEL', modelId: 'm' } }),
    ];
    for (const variables of cases) expect((await t.firstError(BACKTEST, variables, owner.headers)).extensions?.code).toBe('BAD_USER_INPUT');
  });
});
