import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CREATE } from './operations.js';

// 60 stocks S01..S60 with 40 daily candles each, the last close 140.5 and the one before 139.5.
const MANY_STOCKS = readFileSync(new URL('../stock/fixtures/many-stocks.sql', import.meta.url), 'utf8');
const QUERY = `{ portfolios { id cash totalValue invested dayChange realizedPnl
  positions { stock { symbol name } quantity averageCost marketValue unrealizedPnl unrealizedPnlPercent dayChange weight }
  trades(first: 5) { edges { node { symbol quantity } } } } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MANY_STOCKS) });
});
afterAll(() => t?.close());

const symbol = (i: number) => `S${String(i).padStart(2, '0')}`;

/** Books written straight into the ledgers: this test is about reading them, not about how they were written. */
async function userWithPortfolios(count: number, size: number, firstSymbol: number): Promise<SignedUpUser> {
  const user = await signUp(t, `books${count}x${size}`);
  for (let c = 0; c < count; c++) {
    const { data } = await t.graphql(CREATE, { input: { name: `p${c}` } }, user.headers);
    const id = data!.createPortfolio.id as string;
    await t.user.sql.query(
      `INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date) VALUES ($1, 'USD', 1000, 1000, 'DEPOSIT', current_date)`,
      [id],
    );
    const symbols = Array.from({ length: size }, (_, i) => symbol(firstSymbol + i));
    await t.user.sql.query(
      `INSERT INTO positions_book (portfolio_id, stock_symbol, quantity, average_cost, cost_basis, currency, realized_pnl, commission_paid)
       SELECT $1, s, 2, 100, 200, 'USD', 0, 0 FROM unnest($2::varchar[]) AS s`,
      [id, symbols],
    );
    await t.user.sql.query(
      `INSERT INTO trade_execution_log (portfolio_id, source, stock_symbol, side, quantity, exec_price, notional, notional_local, currency, fx_rate, executed_at, trade_date)
       SELECT $1, 'RECORDED', s, 'BUY', 2, 100, 200, 200, 'USD', 1, now(), current_date FROM unnest($2::varchar[]) AS s`,
      [id, symbols],
    );
  }
  return user;
}

/** Statements of one query, stock row cache cold (creating the fixtures warmed it). */
async function statements(user: SignedUpUser) {
  const { data, stock, user: userStatements } = await t.coldStatements(QUERY, {}, user.headers);
  return { result: { data }, stock, user: userStatements };
}

describe('portfolios { positions { stock marketValue … } totalValue … }', () => {
  it('costs the same SQL statements on both databases for 10 portfolios of 50 positions as for 1 of 1', async () => {
    const small = await statements(await userWithPortfolios(1, 1, 51));
    const large = await statements(await userWithPortfolios(10, 50, 1));
    const portfolios = large.result.data!.portfolios as { totalValue: number; positions: { stock: { symbol: string }; marketValue: number }[] }[];
    expect(portfolios).toHaveLength(10);
    // 50 positions of 2 shares at 140.5 plus 1000 cash.
    expect(portfolios.every((p) => p.positions.length === 50 && p.totalValue === 1000 + 50 * 281)).toBe(true);
    expect(portfolios[0]!.positions.map((p) => p.stock.symbol)).toEqual(Array.from({ length: 50 }, (_, i) => symbol(i + 1)));
    expect(portfolios.every((p: any) => p.trades.edges.length === 5)).toBe(true);
    // user DB: the portfolios, one atomic state statement, today's trades (day change) and one trade-page statement for
    // all of them; stock DB: stocks + quotes.
    expect({ stock: small.stock, user: small.user }).toEqual({ stock: 2, user: 4 });
    expect({ stock: large.stock, user: large.user }).toEqual({ stock: small.stock, user: small.user });
  });
});
