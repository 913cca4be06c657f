// Benchmark: paper orders placed (placeOrder over HTTP: validation, portfolio lock, buying-power
// check, order + event) and filled (one matching pass: fill + trade + cash + fee + position +
// order + event per fill, one transaction each), on one portfolio (every write queues on the same
// row lock) and across 1,000 portfolios, against the same statements in raw SQL on a pg pool, in
// the same run, on real PostgreSQL, rounds interleaved.
//   npm run bench:orders            (BENCH_DATABASE_URL to use another server; BENCH_ORDERS=n)
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, startBenchApp } from './support.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? (IN_SUITE ? 150 : 1_000));
const PORTFOLIOS = IN_SUITE ? 150 : 1_000;
const ROUNDS = IN_SUITE ? 2 : 3;
const CONCURRENCY = 16;
const SYMBOL = 'AAPL';

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
await seedStockDb(stockDb.sql, { symbols: [SYMBOL], years: 1 });
const bench = await startBenchApp(stockDb, userDb, { ORDER_TICK_PARTICIPATION: '1' });
const { app, config, url, post } = bench;
const pool = new pg.Pool({ connectionString: userDb.url, max: config.dbPoolMax });

const registered = await post(`mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }`, {
  i: { email: 'orders@example.com', password: 'benchmark password', fullName: 'Bench' },
});
const token: string = registered.data.register.accessToken;
const accountId: string = registered.data.register.user.id;

/** Portfolios with cash, written directly (setup, not measured). */
async function portfolios(n: number, cash: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO portfolio (id, account_id, name, base_currency) SELECT gen_random_uuid(), $1, 'bench ' || g, 'USD' FROM generate_series(1, $2) g RETURNING id::text`,
    [accountId, n],
  );
  await pool.query(
    `INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date) SELECT id, 'USD', $2, $2, 'DEPOSIT', CURRENT_DATE FROM unnest($1::uuid[]) id`,
    [rows.map((r) => r.id), cash],
  );
  return rows.map((r) => r.id);
}

async function inParallel(n: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await work(next++);
  }));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
async function placeViaApi(ids: string[]): Promise<number> {
  return inParallel(ids.length, async (i) => {
    const result = await post(PLACE, { input: { portfolioId: ids[i], symbol: SYMBOL, side: 'BUY', quantity: 1, type: 'MARKET', timeInForce: 'GTC' } }, token);
    if (result.errors) throw new Error(result.errors[0]!.message);
  });
}

async function fillViaEngine(expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  const report = await app.orderFills.match([{ symbol: SYMBOL, price: '190.0000', volume: 1e9, timestamp: new Date(Date.now() + 1000) }]);
  if (report.fills !== expected) throw new Error(`expected ${expected} fills, got ${JSON.stringify(report)}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

// --- the baseline: the same lock, reads and inserts, hand-written on a pg pool, no GraphQL, no Prisma ---
async function tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function placeRaw(ids: string[]): Promise<{ seconds: number; orders: string[] }> {
  const orders: string[] = [];
  const seconds = await inParallel(ids.length, async (i) => {
    const id = ids[i]!;
    orders.push(await tx(async (c) => {
      await c.query('SELECT id FROM portfolio WHERE id = $1 AND account_id = $2 FOR UPDATE', [id, accountId]);
      const cash = await c.query(`SELECT balance FROM cash_equity_book WHERE portfolio_id = $1 AND currency = 'USD' ORDER BY id DESC LIMIT 1`, [id]);
      const reserved = await c.query(`SELECT coalesce(sum(reserved_amount), 0) AS r FROM orders WHERE portfolio_id = $1 AND currency = 'USD' AND status IN ('NEW', 'PARTIALLY_FILLED')`, [id]);
      if (Number(cash.rows[0].balance) - Number(reserved.rows[0].r) < 200.5) throw new Error('funds');
      const orderId = randomUUID();
      await c.query(`INSERT INTO orders (id, portfolio_id, stock_symbol, side, type, quantity, time_in_force, currency, reserved_amount, arrival_price)
        VALUES ($1, $2, $3, 'BUY', 'MARKET', 1, 'GTC', 'USD', 200.5, 190)`, [orderId, id, SYMBOL]);
      await c.query(`INSERT INTO trading_events (portfolio_id, order_id, type, payload) VALUES ($1, $2, 'PLACED', '{}')`, [id, orderId]);
      return orderId;
    }));
  });
  return { seconds, orders };
}

async function fillRaw(): Promise<number> {
  const { rows } = await pool.query<{ id: string; portfolio_id: string }>(`SELECT id::text, portfolio_id::text FROM orders WHERE status = 'NEW' AND stock_symbol = $1 ORDER BY created_at, id`, [SYMBOL]);
  const tickTs = new Date(Date.now() + 2000);
  const started = process.hrtime.bigint();
  // As the matching pass does: one portfolio's orders one after another, three portfolios at a time.
  const byPortfolio = new Map<string, typeof rows>();
  for (const row of rows) byPortfolio.set(row.portfolio_id, [...(byPortfolio.get(row.portfolio_id) ?? []), row]);
  const groups = [...byPortfolio.values()];
  let next = 0;
  await Promise.all(Array.from({ length: 3 }, async () => {
    while (next < groups.length) for (const order of groups[next++]!) await fillOneRaw(order, tickTs);
  }));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function fillOneRaw(order: { id: string; portfolio_id: string }, tickTs: Date): Promise<void> {
  {
    await tx(async (c) => {
      await c.query('SELECT id FROM portfolio WHERE id = $1 FOR UPDATE', [order.portfolio_id]);
      await c.query('SELECT status, filled_quantity FROM orders WHERE id = $1', [order.id]);
      const position = await c.query(`SELECT quantity FROM positions_book WHERE portfolio_id = $1 AND stock_symbol = $2 ORDER BY id DESC LIMIT 1`, [order.portfolio_id, SYMBOL]);
      const cash = await c.query(`SELECT balance FROM cash_equity_book WHERE portfolio_id = $1 AND currency = 'USD' ORDER BY id DESC LIMIT 1`, [order.portfolio_id]);
      await c.query(`SELECT coalesce(sum(reserved_amount), 0) FROM orders WHERE portfolio_id = $1 AND id <> $2 AND status IN ('NEW', 'PARTIALLY_FILLED')`, [order.portfolio_id, order.id]);
      const fill = await c.query(`INSERT INTO fills (order_id, quantity, price, commission, slippage_bps, tick_ts, executed_at) VALUES ($1, 1, 190.19, 1, 1, $2, $2)
        ON CONFLICT (order_id, tick_ts) DO NOTHING RETURNING id`, [order.id, tickTs]);
      const trade = await c.query(`INSERT INTO trade_execution_log (portfolio_id, source, order_id, fill_id, stock_symbol, side, quantity, exec_price, notional, notional_local, currency, fx_rate, commission, executed_at, trade_date)
        VALUES ($1, 'PAPER', $2, $3, $4, 'BUY', 1, 190.19, 190.19, 190.19, 'USD', 1, 1, $5, CURRENT_DATE) RETURNING id`, [order.portfolio_id, order.id, fill.rows[0].id, SYMBOL, tickTs]);
      const balance = Number(cash.rows[0].balance);
      await c.query(`INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date, trade_id) VALUES ($1, 'USD', $2, -190.19, 'TRADE', CURRENT_DATE, $3)`, [order.portfolio_id, (balance - 190.19).toFixed(2), trade.rows[0].id]);
      await c.query(`INSERT INTO cash_equity_book (portfolio_id, currency, balance, delta, reason, trade_date, trade_id) VALUES ($1, 'USD', $2, -1, 'FEE', CURRENT_DATE, $3)`, [order.portfolio_id, (balance - 191.19).toFixed(2), trade.rows[0].id]);
      await c.query(`INSERT INTO positions_book (portfolio_id, stock_symbol, quantity, average_cost, cost_basis, currency, realized_pnl, commission_paid, trade_id)
        VALUES ($1, $2, $3, 190.19, 190.19, 'USD', 0, 1, $4)`, [order.portfolio_id, SYMBOL, Number(position.rows[0]?.quantity ?? 0) + 1, trade.rows[0].id]);
      await c.query(`UPDATE orders SET status = 'FILLED', filled_quantity = 1, average_fill_price = 190.19, reserved_amount = 0, updated_at = now() WHERE id = $1`, [order.id]);
      await c.query(`INSERT INTO trading_events (portfolio_id, order_id, type, payload) VALUES ($1, $2, 'FILLED', '{}')`, [order.portfolio_id, order.id]);
    });
  }
}

interface Rates { place: number[]; fill: number[] }
const rates = { api: { one: { place: [], fill: [] }, many: { place: [], fill: [] } }, raw: { one: { place: [], fill: [] }, many: { place: [], fill: [] } } } as Record<'api' | 'raw', Record<'one' | 'many', Rates>>;

/** Places then fills on fresh portfolios through the API; keeps both rates, returns the placing rate. */
async function viaApi(ids: string[], into: Rates): Promise<number> {
  into.place.push(ids.length / (await placeViaApi(ids)));
  into.fill.push(ids.length / (await fillViaEngine(ids.length)));
  return into.place.at(-1)!;
}
async function viaRaw(ids: string[], into: Rates): Promise<number> {
  into.place.push(ids.length / (await placeRaw(ids)).seconds);
  into.fill.push(ids.length / (await fillRaw()));
  return into.place.at(-1)!;
}
const onePortfolio = async () => Array<string>(ORDERS).fill((await portfolios(1, 1_000_000_000))[0]!);

// Warm-up: JIT, pools, prepared plans.
await viaApi(await portfolios(50, 1_000_000), { place: [], fill: [] });
await viaRaw(await portfolios(50, 1_000_000), { place: [], fill: [] });
// Each contender places and fills its own orders before the other starts: the matching pass and
// the raw fill both take every open AAPL order.
await interleaved(ROUNDS, {
  apiOne: async () => viaApi(await onePortfolio(), rates.api.one),
  rawOne: async () => viaRaw(await onePortfolio(), rates.raw.one),
  apiMany: async () => viaApi(await portfolios(PORTFOLIOS, 1_000), rates.api.many),
  rawMany: async () => viaRaw(await portfolios(PORTFOLIOS, 1_000), rates.raw.many),
});

const perSecond = (value: number) => `${value.toFixed(0)}/s`;
const scenarios = { one: `${ORDERS} orders, one portfolio`, many: `${PORTFOLIOS} portfolios, one order each` } as const;
console.log(`paper orders, ${CONCURRENCY} concurrent placers; fills one transaction each, 3 portfolios at a time; per second, medians of ${ROUNDS} interleaved rounds (ratio ours / raw SQL)`);
console.log('| scenario | placed/s (placeOrder over HTTP) | placed/s (raw SQL) | ratio | filled/s (matching pass) | filled/s (raw SQL) | ratio |');
console.log('|---|---|---|---|---|---|---|');
const benchRows: BenchRow[] = [];
for (const key of ['one', 'many'] as const) {
  const cells: string[] = [];
  for (const [step, ours, theirs] of [['placed', 'placeOrder over HTTP', 'place'], ['filled', 'the matching pass', 'fill']] as const) {
    const api = rates.api[key][theirs];
    const raw = rates.raw[key][theirs];
    const ratio = ratioSpread(api, raw);
    cells.push(perSecond(medianSpread(api).median), perSecond(medianSpread(raw).median), `${ratio.median.toFixed(2)}x`);
    benchRows.push({
      id: `orders.${theirs}.${key}`, what: `orders ${step} per second (${ours}), ${scenarios[key]}`, value: perSecond(medianSpread(api).median),
      baseline: `raw SQL on pg ${perSecond(medianSpread(raw).median)}`, ratio: ratio.median, spread: [ratio.min, ratio.max],
    });
  }
  console.log(`| ${scenarios[key]} | ${cells.join(' | ')} |`);
}
reportRows(benchRows);

await pool.end();
await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
