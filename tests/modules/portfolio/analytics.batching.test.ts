import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CREATE } from './operations.js';

// 60 stocks S01..S60 with 40 daily candles each, the last close 140.5 and the one before 139.5.
const MANY_STOCKS = readFileSync(new URL('../stock/fixtures/many-stocks.sql', import.meta.url), 'utf8');
const QUERY = `{ portfolios { id
  performance(range: ONE_MONTH, benchmark: "S60") { timeWeightedReturn totalReturn benchmarkReturn series { date value } }
  risk(range: ONE_MONTH, benchmark: "S60") { volatility beta maxDrawdown { value } valueAtRisk95 }
  allocation(by: SECTOR) { key value weight } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MANY_STOCKS) });
});
afterAll(() => t?.close());

const symbol = (i: number) => `S${String(i).padStart(2, '0')}`;

/** Portfolio c opened c + 1 days ago (each one its own inception, so its own series start). */
async function userWithPortfolios(count: number, size: number): Promise<SignedUpUser> {
  const user = await signUp(t, `analytics${count}x${size}`);
  for (let c = 0; c < count; c++) {
    const { data } = await t.graphql(CREATE, { input: { name: `p${c}` } }, user.headers);
    const id = data!.createPortfolio.id as string;
    const symbols = Array.from({ length: size }, (_, i) => symbol(i + 1));
    await t.user.sql.query(
      `INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date) VALUES
         ($1, 'USD', 100000, 100000, 'DEPOSIT', current_date - $3::int), ($1, 'USD', 100000 - 200 * $2::int, -200 * $2::int, 'TRADE', current_date - $3::int)`,
      [id, size, c + 1],
    );
    await t.user.sql.query(
      `INSERT INTO positions_book (portfolio_id, stock_symbol, quantity, average_cost, cost_basis, currency, realized_pnl, commission_paid)
       SELECT $1, s, 2, 100, 200, 'USD', 0, 0 FROM unnest($2::varchar[]) AS s`,
      [id, symbols],
    );
    await t.user.sql.query(
      `INSERT INTO trade_execution_log (portfolio_id, source, stock_symbol, side, quantity, exec_price, notional, notional_local, currency, fx_rate, executed_at, trade_date)
       SELECT $1, 'RECORDED', s, 'BUY', 2, 100, 200, 200, 'USD', 1, now(), current_date - $3::int FROM unnest($2::varchar[]) AS s`,
      [id, symbols, c + 1],
    );
  }
  return user;
}

/** Statements of one query, stock row cache cold (creating the fixtures warmed it). */
async function statements(user: SignedUpUser) {
  const { data, stock, user: userStatements } = await t.coldStatements(QUERY, {}, user.headers);
  return { result: { data }, stock, user: userStatements };
}

describe('portfolios { performance risk allocation }', () => {
  it('costs the same SQL statements for 10 portfolios of 50 positions, each opened on another day, as for 1 of 1', async () => {
    const small = await statements(await userWithPortfolios(1, 1));
    const large = await statements(await userWithPortfolios(10, 50));
    const portfolios = large.result.data!.portfolios as { performance: { series: unknown[] }; allocation: { key: string }[] }[];
    expect(portfolios).toHaveLength(10);
    expect(portfolios.every((p) => p.performance.series.length >= 2)).toBe(true);
    expect(new Set(portfolios.map((p) => p.performance.series.length)).size).toBeGreaterThan(1);
    // Symbols S01..S50 fall into the fixture's five sectors, plus one slice of cash; the weights add up to 1.
    expect(portfolios[0]!.allocation.map((s) => s.key).sort()).toEqual(['CASH', 'Sector 0', 'Sector 1', 'Sector 2', 'Sector 3', 'Sector 4']);
    expect(portfolios[0]!.allocation.reduce((sum, s: any) => sum + s.weight, 0)).toBeCloseTo(1, 9);
    expect({ stock: large.stock, user: large.user }).toEqual({ stock: small.stock, user: small.user });
  });
});
