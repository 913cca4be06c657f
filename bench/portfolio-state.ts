// Benchmark: the atomic portfolio state (cash + latest position rows, one statement) and a full
// `Portfolio` query with 50 positions, with 100,000 trades in the books, on real PostgreSQL,
// against raw SQL baselines in the same run, rounds interleaved.
//   npm run bench:portfolio-state     (BENCH_DATABASE_URL to use another server; BENCH_ITERATIONS)
import pg from 'pg';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { readPortfolioStates } from '../src/modules/portfolio/portfolio-state.sql.js';
import { readBookHistories } from '../src/modules/portfolio/value-history.sql.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, fmt, measure, startBenchApp, type LatencySummary } from './support.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (IN_SUITE ? 40 : 100));
const ROUNDS = IN_SUITE ? 2 : 3;
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

const light = ITERATIONS;
const heavy = Math.ceil(ITERATIONS / 5);
const paths = {
  state: { name: 'state query, loose index scan (app: readPortfolioStates via Prisma)', n: light, run: () => readPortfolioStates(app.userDb.prisma, [portfolioId]) },
  distinctOn: { name: 'state query, DISTINCT ON form (before the loose index scan; raw pg)', n: light, run: () => pool.query(DISTINCT_ON, [[portfolioId]]) },
  floor: { name: 'raw pg: latest rows by known keys (floor)', n: light, run: () => pool.query(RAW_KNOWN_KEYS, [portfolioId, symbols]) },
  portfolio: { name: 'GraphQL Portfolio query, 50 positions (HTTP)', n: light, run: () => post(PORTFOLIO, { id: portfolioId }, token) },
  history: { name: 'day-level book history, a whole year (readBookHistories via Prisma)', n: heavy, run: () => readBookHistories(app.userDb.prisma, [portfolioId]) },
  year: { name: 'GraphQL performance + risk, ONE_YEAR (HTTP)', n: heavy, run: () => post(PERFORMANCE, { id: portfolioId, range: 'ONE_YEAR' }, token) },
  month: { name: 'GraphQL performance + risk, ONE_MONTH (HTTP)', n: heavy, run: () => post(PERFORMANCE, { id: portfolioId, range: 'ONE_MONTH' }, token) },
};
type Path = keyof typeof paths;
const summaries = Object.fromEntries(Object.keys(paths).map((key) => [key, [] as LatencySummary[]])) as Record<Path, LatencySummary[]>;
const p50s = await interleaved(ROUNDS, Object.fromEntries(Object.entries(paths).map(([key, path]) => [key, async () => {
  const summary = await measure(path.run, path.n);
  summaries[key as Path].push(summary);
  return summary.p50Ms;
}])) as Record<Path, () => Promise<number>>);

const median = (values: number[]) => medianSpread(values).median;
console.log(`\n## Portfolio state: ${TRADES.toLocaleString('en-US')} trades in one portfolio's books, ${POSITIONS} positions (PostgreSQL, ${ROUNDS} interleaved rounds of ${light} sequential runs, ${heavy} for the last three; medians over rounds)\n`);
console.log(`DISTINCT ON form, one run: ${plan['Execution Time'].toFixed(2)} ms execution, ${plan.Plan['Shared Hit Blocks'] ?? '?'} shared buffers hit\n`);
console.log('| path | p50 | p95 | p99 | mean | p50 / floor p50 |');
console.log('|---|---|---|---|---|---|');
const floorP50 = median(p50s.floor);
for (const [key, path] of Object.entries(paths) as [Path, (typeof paths)[Path]][]) {
  const r = summaries[key];
  const cells = [median(p50s[key]), median(r.map((x) => x.p95Ms)), median(r.map((x) => x.p99Ms)), median(r.map((x) => x.meanMs))].map(fmt);
  console.log(`| ${path.name} | ${cells.join(' | ')} | ${(median(p50s[key]) / floorP50).toFixed(2)}x |`);
}
const benchRows: BenchRow[] = (Object.keys(paths) as Path[]).filter((key) => key !== 'floor').map((key) => {
  const againstFloor = ['state', 'distinctOn', 'portfolio'].includes(key);
  const ratio = againstFloor ? ratioSpread(p50s[key], p50s.floor) : undefined;
  return {
    id: `portfolio-state.${key}`, what: `${paths[key].name}, p50, ${TRADES.toLocaleString('en-US')} trades`, value: fmt(median(p50s[key])),
    ...(ratio ? { baseline: `raw pg floor ${fmt(floorP50)}`, ratio: ratio.median, spread: [ratio.min, ratio.max] as [number, number] } : {}),
  };
});
reportRows(benchRows);

await pool.end();
await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
