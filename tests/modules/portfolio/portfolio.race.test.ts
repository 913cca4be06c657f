import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPortfolioStates } from '../../../src/modules/portfolio/portfolio-state.sql.js';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testServerUrl } from '../../support/databases.js';
import { raceOnLockedRow } from '../../support/row-barrier.js';
import { CREATE, DEPOSIT, RECORD, WITHDRAW } from './operations.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('portfolio.race.test: the races need concurrent connections to real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite, which has one');

let t: TestApp;
let user: SignedUpUser;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
  user = await signUp(t, 'racer');
});
afterAll(() => t?.close());

const ok = (query: string, variables: Record<string, unknown>) => t.data(query, variables, user.headers);

async function fundedPortfolio(amount: number): Promise<string> {
  const id = (await ok(CREATE, { input: { name: 'Race' } })).createPortfolio.id as string;
  await ok(DEPOSIT, { input: { portfolioId: id, amount, idempotencyKey: randomUUID() } });
  return id;
}

describe.skipIf(!realPostgres)('concurrent writers on one portfolio (real PostgreSQL)', () => {
  it('let exactly one of six withdrawals that each take 60 % of the cash succeed, round after round, and never book negative cash', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await fundedPortfolio(1000);
      // The barrier holds the portfolio row, so all racers have read the portfolio (and, without the
      // lock, the cash) before any can write: the row lock taken by every book write is all that
      // orders them. (A cash row's foreign key waits on the held row too, so without the lock all
      // four connected racers would read 1000 and book a withdrawal.)
      const results = await raceOnLockedRow({
        url: t.user.url!,
        select: 'SELECT 1 FROM portfolio WHERE id = $1',
        params: [id],
        // The test app's user pool holds 4 connections: 4 block on the lock, the rest queue behind them.
        waiters: 4,
        fire: () => Array.from({ length: 6 }, () => t.graphql(WITHDRAW, { input: { portfolioId: id, amount: 600, idempotencyKey: randomUUID() } }, user.headers)),
      });
      const succeeded = results.filter((r) => !r.errors);
      expect({ round, succeeded: succeeded.length }).toEqual({ round, succeeded: 1 });
      expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'INSUFFICIENT_FUNDS')).toHaveLength(5);
      const rows = await t.user.sql.query<{ balance: string }>(`SELECT balance::text FROM cash_equity_book WHERE portfolio_id = $1 ORDER BY id`, [id]);
      expect(rows.map((r) => Number(r.balance))).toEqual([1000, 400]);
    }
  });

  it('read one consistent state while fills commit: cash + positions at cost + commissions - realised P&L = net deposits in every snapshot', async () => {
    const deposits = 100_000;
    const id = await fundedPortfolio(deposits);
    const trades = [
      ...Array.from({ length: 12 }, (_, i) => ({ symbol: 'AAPL', side: 'BUY', quantity: 3 + (i % 4), price: 150 + i * 0.37, fee: 1.05 })),
      ...Array.from({ length: 12 }, (_, i) => ({ symbol: 'MSFT', side: 'BUY', quantity: 1.5 + i, price: 390.11 - i, fee: 0.99 })),
      ...Array.from({ length: 6 }, (_, i) => ({ symbol: 'AAPL', side: 'SELL', quantity: 0.5, price: 170.13 + i, fee: 0.5 })),
    ];
    let writing = true;
    const writers = Promise.all(
      trades.map((trade) => ok(RECORD, { input: { portfolioId: id, ...trade, executedAt: '2025-03-05T15:00:00Z' } }).catch((error) => ({ error }))),
    ).finally(() => (writing = false));
    const snapshots: { cash: Decimal; atCost: Decimal; trades: number }[] = [];
    while (writing || snapshots.length < 5) {
      const state = (await readPortfolioStates(t.app.userDb.prisma, [id])).get(id)!;
      const atCost = state.positions.reduce(
        (sum, p) => sum.plus(p.costBasis).plus(p.commissionPaid).minus(p.realizedPnl),
        new Decimal(0),
      );
      snapshots.push({ cash: state.cash.get('USD') ?? new Decimal(0), atCost, trades: state.positions.length });
    }
    const outcomes = await writers;
    // Sells may land before any buy and be refused (INSUFFICIENT_POSITION); everything else must book.
    const refused = outcomes.filter((o) => 'error' in o);
    expect(refused.every((o) => /INSUFFICIENT_POSITION/.test(String((o as { error: Error }).error.message)))).toBe(true);
    expect(outcomes.length - refused.length).toBeGreaterThanOrEqual(24);
    const broken = snapshots.filter((s) => !s.cash.plus(s.atCost).eq(deposits));
    expect(broken).toEqual([]);
    // The reader really did interleave with the writers: it saw more than the empty and the final state.
    const distinct = new Set(snapshots.map((s) => s.cash.toFixed()));
    expect(distinct.size).toBeGreaterThan(2);
    expect(snapshots.every((s) => s.cash.gte(0))).toBe(true);
  });
});
