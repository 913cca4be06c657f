import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { OrderFillService } from '../../../src/modules/portfolio/order-fill.service.js';
import { readPortfolioStates } from '../../../src/modules/portfolio/portfolio-state.sql.js';
import type { Tick } from '../../../src/providers/market-data-provider.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testServerUrl } from '../../support/databases.js';
import { raceOnLockedRow } from '../../support/row-barrier.js';
import { testRedisUrl } from '../../support/servers.js';
import { CREATE, DEPOSIT } from './operations.js';
import { PLACE } from './order-operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const realPostgres = testServerUrl('user') !== undefined;
const redisUrl = testRedisUrl();
if (!realPostgres) console.warn('orders.race.test: races and killed connections need real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite, which has one connection');

let t: TestApp;
let user: SignedUpUser;
beforeAll(async () => {
  // Every tick may give all its volume to paper orders, so one simulated tick fills a small order.
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env: { ORDER_TICK_PARTICIPATION: '1' } });
  user = await signUp(t, 'racer');
});
afterAll(() => t?.close());

const ok = (query: string, variables: Record<string, unknown>) => t.data(query, variables, user.headers);

async function funded(amount: number): Promise<string> {
  const id = (await ok(CREATE, { input: { name: 'Race' } })).createPortfolio.id as string;
  await ok(DEPOSIT, { input: { portfolioId: id, amount, idempotencyKey: randomUUID() } });
  return id;
}

const marketBuy = (portfolioId: string, quantity: number) => ({ input: { portfolioId, symbol: 'AAPL', side: 'BUY', quantity, type: 'MARKET', timeInForce: 'GTC' } });
let clock = Date.now();
const tick = (price: string, volume = 1_000_000): Tick => {
  clock = Math.max(clock + 1000, Date.now() + 1000);
  return { symbol: 'AAPL', price, volume, timestamp: new Date(clock) };
};
const rows = async (table: string, portfolioId: string) =>
  Number((await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE portfolio_id = $1`, [portfolioId]))[0]!.n);

const fillsOf = async (portfolioId: string) =>
  Number((await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.portfolio_id = $1`, [portfolioId]))[0]!.n);

/** cash + positions at cost + commissions - realised P&L, which must equal net deposits. */
async function conserved(id: string): Promise<{ total: string; cash: Decimal }> {
  const state = (await readPortfolioStates(t.app.userDb.prisma, [id])).get(id)!;
  const cash = state.cash.get('USD') ?? new Decimal(0);
  const total = state.positions.reduce((sum, p) => sum.plus(p.costBasis).plus(p.commissionPaid).minus(p.realizedPnl), cash);
  return { total: total.toFixed(), cash };
}

describe.skipIf(!realPostgres)('concurrent orders on one portfolio (real PostgreSQL)', () => {
  it('accept exactly one of 20 market buys that each need 60 % of the cash; the rest are INSUFFICIENT_FUNDS and no cash goes negative', async () => {
    const id = await funded(10_000);
    // 30 × 190 × 1.05 + 1.00 commission = 5,986 reserved: 59.9 % of the cash.
    const results = await raceOnLockedRow({
      url: t.user.url!,
      select: 'SELECT 1 FROM portfolio WHERE id = $1',
      params: [id],
      waiters: 4,
      fire: () => Array.from({ length: 20 }, () => t.graphql(PLACE, marketBuy(id, 30), user.headers)),
    });
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'INSUFFICIENT_FUNDS')).toHaveLength(19);
    expect(await rows('orders', id)).toBe(1);
    expect(await rows('trading_events', id)).toBe(1);
    await t.app.orderFills.match([tick('190.00')]);
    const after = await conserved(id);
    expect(after.total).toBe('10000');
    expect(after.cash.gte(0)).toBe(true);
    const negative = await t.user.sql.query(`SELECT 1 FROM cash_equity_book WHERE portfolio_id = $1 AND balance < 0`, [id]);
    expect(negative).toHaveLength(0);
  });

  it('leave no half trade when a fill throws after its first insert: nothing of it is booked, and the next tick fills it', async () => {
    const id = await funded(10_000);
    await ok(PLACE, marketBuy(id, 5));
    let thrown = 0;
    t.app.orderFills.faults.afterFillInsert = () => {
      thrown++;
      throw new Error('injected fault after the fills insert');
    };
    try {
      expect((await t.app.orderFills.match([tick('190.00')])).errors).toBeGreaterThanOrEqual(1);
    } finally {
      delete t.app.orderFills.faults.afterFillInsert;
    }
    expect(thrown).toBeGreaterThanOrEqual(1);
    expect(await rows('trade_execution_log', id)).toBe(0);
    expect(await rows('positions_book', id)).toBe(0);
    expect(await rows('cash_equity_book', id)).toBe(1);
    expect(await fillsOf(id)).toBe(0);
    expect((await conserved(id)).total).toBe('10000');
    expect((await t.app.orderFills.match([tick('190.00')])).fills).toBeGreaterThanOrEqual(1);
    expect(await rows('trade_execution_log', id)).toBe(1);
    expect((await conserved(id)).total).toBe('10000');
  });

  it('leave no half trade when the filling connection is killed mid-transaction (pg_terminate_backend)', async () => {
    const id = await funded(10_000);
    await ok(PLACE, marketBuy(id, 5));
    const killer = new pg.Client({ connectionString: t.user.url! });
    await killer.connect();
    let killed = 0;
    t.app.orderFills.faults.afterFillInsert = async (_orderId, tx) => {
      const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      killed++;
    };
    try {
      expect((await t.app.orderFills.match([tick('190.00')])).errors).toBeGreaterThanOrEqual(1);
    } finally {
      delete t.app.orderFills.faults.afterFillInsert;
      await killer.end();
    }
    expect(killed).toBeGreaterThanOrEqual(1);
    expect(await fillsOf(id)).toBe(0);
    expect(await rows('trade_execution_log', id)).toBe(0);
    expect(await rows('positions_book', id)).toBe(0);
    expect(await rows('cash_equity_book', id)).toBe(1);
    expect((await conserved(id)).total).toBe('10000');
    // The pool replaces the dead connection; the order fills on a later tick.
    let filled = 0;
    for (let i = 0; i < 3 && filled === 0; i++) filled = (await t.app.orderFills.match([tick('190.00')])).fills;
    expect(filled).toBeGreaterThanOrEqual(1);
    expect(await rows('trade_execution_log', id)).toBe(1);
    expect((await conserved(id)).total).toBe('10000');
  });

  it('fill an order once when two matchers see the same tick at the same time', async () => {
    const id = await funded(10_000);
    await ok(PLACE, marketBuy(id, 5));
    const second = new OrderFillService(t.app.userDb.prisma, t.app.stockDb.prisma, t.app.bus, t.app.config.orders);
    const same = tick('190.00');
    const reports = await Promise.all([t.app.orderFills.match([same]), second.match([same])]);
    expect(reports.reduce((n, r) => n + r.fills, 0)).toBe(1);
    expect(await rows('trade_execution_log', id)).toBe(1);
    expect((await conserved(id)).total).toBe('10000');
  });
});

describe.skipIf(!redisUrl || !realPostgres)('two API processes on one Redis (needs real Redis and PostgreSQL)', () => {
  it('fill each order exactly once: the quotes job, and matching with it, runs in one process per tick', async () => {
    const target = (db: typeof t.stock) => ({ url: db.url!, poolMax: 2 });
    const config = loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', ORDER_TICK_PARTICIPATION: '1',
      REDIS_URL: t.app.config.redisUrl!, REDIS_KEY_PREFIX: t.app.config.redisKeyPrefix,
    });
    const other = await createApp(config, { logger: createLogger('silent'), stockTarget: target(t.stock), userTarget: target(t.user) });
    try {
      const id = await funded(10_000);
      await ok(PLACE, marketBuy(id, 1));
      const quotes = (app: typeof other) => app.jobs.find((job) => job.name === 'quotes')!;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const outcomes = await Promise.all([t.app.scheduler.tick(quotes(t.app)), other.scheduler.tick(quotes(other))]);
      expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
      const fills = await t.user.sql.query<{ quantity: string }>(`SELECT f.quantity::text FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.portfolio_id = $1`, [id]);
      expect(fills).toEqual([{ quantity: '1.000000' }]);
      const [order] = await t.user.sql.query<{ status: string }>(`SELECT status::text FROM orders WHERE portfolio_id = $1`, [id]);
      expect(order!.status).toBe('FILLED');
      expect(await rows('trade_execution_log', id)).toBe(1);
      expect((await conserved(id)).total).toBe('10000');
    } finally {
      await other.close();
    }
  });
});
