// Benchmark: the atomic portfolio state (cash + latest position rows, one statement) and a full
// `Portfolio` query with 50 positions, with 100,000 trades in the books, on real PostgreSQL,
// against raw SQL baselines in the same run.
//   npm run bench:portfolio-state     (BENCH_DATABASE_URL to use another server; BENCH_ITERATIONS)
import pg from 'pg';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { readPortfolioStates } from '../src/modules/portfolio/portfolio-state.sql.js';
import { readBookHistories } from '../src/modules/portfolio/value-history.sql.js';
import { createBenchDatabase, fmt, measure, startBenchApp, type LatencySummary } from './support.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const TRADES = 100_000;
const POSITIONS = 50;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
const symbols = SEED_STOCKS.slice(0, POSITIONS).map((stock) => stock.symbol);
await seedStockDb(stockDb.sql, { symbols, years: 1 });

const bench = await startBenchApp(stockDb, userDb);
const { app } = bench;

async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const body = await bench.post(query, variables, token);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
}

const registered = await post(`mutation($i: RegisterInput!) { register(input: $i) { accessToken } }`, {
  i: { email: 'bench@example.com', password: 'benchmark password', fullName: 'Bench' },
});
const token: string = registered.data.register.accessToken;
const portfolioId: string = (await post(`mutation { createPortfolio(input: { name: "Bench" }) { id } }`, {}, token)).data.createPortfolio.id;
// Nine other portfolios with 1,000 trades each share the tables, as other users would.
const others: string[] = [];
for (let i = 0; i < 9; i++) others.push((await post(`mutation { createPortfolio(input: { name: "Other ${i}" }) { id } }`, {}, token)).data.createPortfolio.id);

// --- 100,000 trades round-robin over 50 symbols: one trade row, one cash row and one position row each, as recordTrade writes them. ---
async function fillBooks(id: string, trades: number) {
  await userDb.sql.query(
    `INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date) VALUES ($1, 'USD', 100000000, 100000000, 'DEPOSIT', CURRENT_DATE - 400)`,
    [id],
  );
  await userDb.sql.query(
    `WITH t AS (
       INSERT INTO trade_execution_log (portfolio_id, source, stock_symbol, side, quantity, exec_price, notional, notional_local, currency, fx_rate, commission, executed_at, trade_date)
       SELECT $1, 'RECORDED', ($2::varchar[])[1 + g % 50], 'BUY', 1, 100, 100, 100, 'USD', 1, 0,
              now() - make_interval(mins => $3 - g), CURRENT_DATE - (($3 - g) * 365 / $3)
       FROM generate_series(1, $3) g RETURNING id, stock_symbol
     ), c AS (
       INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date, trade_id)
       SELECT $1, 'USD', 100000000 - 100 * row_number() OVER (ORDER BY id), -100, 'TRADE', CURRENT_DATE, id FROM t
     )
     INSERT INTO positions_book (portfolio_id, stock_symbol, quantity, average_cost, cost_basis, currency, realized_pnl, commission_paid, trade_id)
     SELECT $1, stock_symbol, q, 100, 100 * q, 'USD', 0, 0, id
     FROM (SELECT id, stock_symbol, row_number() OVER (PARTITION BY stock_symbol ORDER BY id) AS q FROM t) n`,
    [id, symbols, trades],
  );
}
await fillBooks(portfolioId, TRADES);
for (const id of others) await fillBooks(id, 1_000);
await userDb.sql.exec('VACUUM ANALYZE');

// --- baselines on the pg pool directly ---
const pool = new pg.Pool({ connectionString: userDb.url, max: 4 });
const DISTINCT_ON = `
  WITH latest_cash AS (
    SELECT DISTINCT ON (c.portfolio_id, c.currency) c.portfolio_id, c.currency, c.balance FROM cash_equity_book c
    WHERE c.portfolio_id = ANY($1::uuid[]) ORDER BY c.portfolio_id, c.currency, c.id DESC
  ), latest_positions AS (
    SELECT DISTINCT ON (p.portfolio_id, p.stock_symbol) p.portfolio_id, p.stock_symbol, p.quantity, p.cost_basis FROM positions_book p
    WHERE p.portfolio_id = ANY($1::uuid[]) ORDER BY p.portfolio_id, p.stock_symbol, p.id DESC
  )
  SELECT 'cash', portfolio_id, currency, NULL, balance FROM latest_cash
  UNION ALL SELECT 'position', portfolio_id, stock_symbol, quantity, cost_basis FROM latest_positions`;
// The two latest rows a client would fetch by hand: the last cash row, then each symbol's last row
// (symbols known up front, as a client holding them would): the floor for "latest per key".
const RAW_KNOWN_KEYS = `
  SELECT 'cash', c.* FROM (SELECT balance FROM cash_equity_book WHERE portfolio_id = $1 AND currency = 'USD' ORDER BY id DESC LIMIT 1) c
  UNION ALL
  SELECT 'position', l.quantity FROM unnest($2::varchar[]) s(symbol)
  CROSS JOIN LATERAL (SELECT quantity FROM positions_book WHERE portfolio_id = $1 AND stock_symbol = s.symbol ORDER BY id DESC LIMIT 1) l`;

const PORTFOLIO = `query($id: ID!) { portfolio(id: $id) { cash totalValue invested dayChange realizedPnl
  positions { stock { symbol } quantity averageCost marketValue unrealizedPnl unrealizedPnlPercent dayChange weight } } }`;

const PERFORMANCE = `query($id: ID!, $range: PerformanceRange!) { portfolio(id: $id) { performance(range: $range, benchmark: "AAPL") { timeWeightedReturn moneyWeightedReturn series { date value } }
  risk(range: $range, benchmark: "AAPL") { volatility sharpe beta maxDrawdown { value } valueAtRisk95 } } }`;

const check = await readPortfolioStates(app.userDb.prisma, [portfolioId]);
const state = check.get(portfolioId)!;
if (state.positions.length !== POSITIONS || state.positions.some((p) => p.quantity.toNumber() !== TRADES / POSITIONS)) throw new Error('state query returned wrong rows');
const explain = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${DISTINCT_ON}`, [[portfolioId]]);
const plan = explain.rows[0]['QUERY PLAN'][0];

const results: [string, LatencySummary][] = [];
results.push(['state query, loose index scan (app: readPortfolioStates via Prisma)', await measure(() => readPortfolioStates(app.userDb.prisma, [portfolioId]), ITERATIONS)]);
results.push(['state query, DISTINCT ON form (before this change; raw pg)', await measure(() => pool.query(DISTINCT_ON, [[portfolioId]]), ITERATIONS)]);
results.push(['raw pg: latest rows by known keys (floor)', await measure(() => pool.query(RAW_KNOWN_KEYS, [portfolioId, symbols]), ITERATIONS)]);
results.push(['GraphQL Portfolio query, 50 positions (HTTP)', await measure(() => post(PORTFOLIO, { id: portfolioId }, token), ITERATIONS)]);
results.push(['day-level book history, a whole year (readBookHistories via Prisma)', await measure(() => readBookHistories(app.userDb.prisma, [portfolioId]), Math.ceil(ITERATIONS / 5))]);
results.push(['GraphQL performance + risk, ONE_YEAR (HTTP)', await measure(() => post(PERFORMANCE, { id: portfolioId, range: 'ONE_YEAR' }, token), Math.ceil(ITERATIONS / 5))]);
results.push(['GraphQL performance + risk, ONE_MONTH (HTTP)', await measure(() => post(PERFORMANCE, { id: portfolioId, range: 'ONE_MONTH' }, token), Math.ceil(ITERATIONS / 5))]);

console.log(`\n## Portfolio state: ${TRADES.toLocaleString('en-US')} trades in one portfolio's books, ${POSITIONS} positions (PostgreSQL, ${ITERATIONS} sequential runs each)\n`);
console.log(`DISTINCT ON form, one run: ${plan['Execution Time'].toFixed(2)} ms execution, ${plan.Plan['Shared Hit Blocks'] ?? '?'} shared buffers hit\n`);
console.log('| path | p50 | p95 | p99 | mean |');
console.log('|---|---|---|---|---|');
for (const [name, r] of results) console.log(`| ${name} | ${fmt(r.p50Ms)} | ${fmt(r.p95Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.meanMs)} |`);
const floor = results[2]![1];
console.log(`\nratios to the raw floor (p50): ${results.map(([name, r]) => `${name.split(' (')[0]}: ${(r.p50Ms / floor.p50Ms).toFixed(2)}x`).join('; ')}`);

await pool.end();
await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
