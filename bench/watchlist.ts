// Benchmark: a 50-stock watchlist read through GraphQL (HTTP -> Apollo -> resolvers ->
// DataLoader -> raw SQL executor) against the same data fetched with two raw SQL queries and
// serialised by hand behind a bare node:http handler, in the same run, on real PostgreSQL.
// Interleaved rounds (bench/report.ts); each round's figure is the p50 of its sequential requests.
//   npm run bench:watchlist            (BENCH_DATABASE_URL to use another server; BENCH_ROUNDS, BENCH_ITERATIONS)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { AccessTokens, bearerToken } from '../src/modules/auth/access-token.js';
import { observedAt } from '../src/modules/stock/stock.mapper.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows } from './report.js';
import { createBenchDatabase, fmt, measure, startBenchApp } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (IN_SUITE ? 5 : 11));
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (IN_SUITE ? 60 : 150));
const CONCURRENCY = 16;
const QUERY = `query($id: ID!) { collection(id: $id) { name stocks { symbol name sector quote { price change changePercent volume timestamp } } } }`;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
const seeded = SEED_STOCKS.slice(0, 60).map((stock) => stock.symbol);
await seedStockDb(stockDb.sql, { symbols: seeded, years: 1 });
// The seed blacklists a few listings (PM): a watchlist cannot hold them.
const blacklisted = new Set((await stockDb.sql.query<{ symbol: string }>('SELECT symbol FROM blacklist')).map((row) => row.symbol));
const symbols = seeded.filter((symbol) => !blacklisted.has(symbol)).slice(0, 50);

const { app, config, url: graphqlUrl } = await startBenchApp(stockDb, userDb);

async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown };
}

function dataOf(result: { data?: any; errors?: unknown }, what: string) {
  if (result.errors || !result.data) throw new Error(`${what} failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const registered = dataOf(await post(`mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }`, {
  i: { email: 'bench@example.com', password: 'benchmark password', fullName: 'Bench' },
}), 'register');
const token: string = registered.register.accessToken;
const created = dataOf(await post(`mutation($i: CreateCollectionInput!) { createCollection(input: $i) { id } }`, { i: { name: 'Fifty', symbols } }, token), 'createCollection');
const collectionId: string = created.createCollection.id;

// --- the baseline: two hand-written queries, hand-built JSON, same auth check. It knows the
// data is fresh and bounds the candle scan to 10 days, the best case for raw SQL. ---
const stockPool = new pg.Pool({ connectionString: stockDb.url, max: 10 });
const userPool = new pg.Pool({ connectionString: userDb.url, max: 10 });
const accessTokens = new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds);
let rawStatements = 0;

async function rawWatchlist(id: string, accountId: string): Promise<string> {
  rawStatements += 2;
  const list = await userPool.query(
    `SELECT c.name, s.stock_symbol FROM custom_collection c
     LEFT JOIN custom_collection_stock s ON s.collection_id = c.id
     WHERE c.id = $1 AND c.account_id = $2 ORDER BY s.position, s.added_at`,
    [id, accountId],
  );
  const wanted = list.rows.map((row) => row.stock_symbol as string);
  const prices = await stockPool.query(
    `SELECT st.symbol, st.name, st.sector, p.ts, p.close, p.volume
     FROM unnest($1::varchar[]) WITH ORDINALITY AS u(symbol, ord)
     JOIN stock st ON st.symbol = u.symbol
     CROSS JOIN LATERAL (SELECT ts, close, volume FROM stock_price sp
       WHERE sp.symbol = st.symbol AND sp.interval = 'DAY' AND sp.ts >= now() - interval '10 days'
       ORDER BY sp.ts DESC LIMIT 2) p
     ORDER BY u.ord, p.ts DESC`,
    [wanted],
  );
  const stocks: unknown[] = [];
  for (let i = 0; i < prices.rows.length; i += 2) {
    const [latest, previous] = [prices.rows[i], prices.rows[i + 1]];
    const price = new Decimal(latest.close);
    const change = price.minus(previous.close);
    stocks.push({
      symbol: latest.symbol,
      name: latest.name,
      sector: latest.sector,
      quote: {
        price: price.toNumber(),
        change: change.toDecimalPlaces(6).toNumber(),
        changePercent: change.div(previous.close).times(100).toDecimalPlaces(4).toNumber(),
        volume: Number(latest.volume),
        // The quote is stamped when its close was observed (the session's close), as the API does.
        timestamp: observedAt(new Date(latest.ts)).toISOString(),
      },
    });
  }
  return JSON.stringify({ data: { collection: { name: list.rows[0].name, stocks } } });
}

const rawServer: Server = createServer(async (req, res) => {
  const verified = await accessTokens.verify(bearerToken(req.headers.authorization) ?? '');
  if (!('viewer' in verified)) return void res.writeHead(401).end();
  const id = new URL(req.url!, 'http://x').searchParams.get('id')!;
  res.writeHead(200, { 'content-type': 'application/json' }).end(await rawWatchlist(id, verified.viewer.accountId));
});
await new Promise<void>((resolve) => rawServer.listen(0, '127.0.0.1', resolve));
const rawUrl = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}/watchlist?id=${collectionId}`;
const getRaw = async () => (await (await fetch(rawUrl, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: any };
const getGraphQL = () => post(QUERY, { id: collectionId }, token);

// Both must serve the same bytes' worth of data before their speed means anything.
const [viaGraphQL, viaRaw] = [await getGraphQL(), await getRaw()];
// Compared on data: the API may add `extensions` (the cost estimate) that the baseline does not build.
if (!isDeepStrictEqual(viaGraphQL.data, viaRaw.data)) {
  const [ours, theirs] = [viaGraphQL.data?.collection?.stocks ?? [], viaRaw.data.collection.stocks];
  const at = ours.findIndex((stock: unknown, i: number) => !isDeepStrictEqual(stock, theirs[i]));
  throw new Error(`results differ at stock ${at} (${ours.length} against ${theirs.length} stocks):\n${JSON.stringify(ours[at])}\n${JSON.stringify(theirs[at])}`);
}
if (viaGraphQL.data.collection.stocks.length !== 50) throw new Error('expected 50 stocks');
console.log(`GraphQL response keys: ${Object.keys(viaGraphQL).join(', ')}; ${JSON.stringify(viaGraphQL).length} bytes against ${JSON.stringify(viaRaw).length}`);

/** Statements of one GraphQL read; `cold` drops the process's stock row cache first (the first read after a change). */
async function graphqlStatements(cold: boolean): Promise<number> {
  if (cold) app.stockRows.invalidate();
  app.stockDb.queries.reset();
  app.userDb.queries.reset();
  await getGraphQL();
  return app.stockDb.queries.count + app.userDb.queries.count;
}
const coldStatements = await graphqlStatements(true);
const warmStatements = await graphqlStatements(false);
rawStatements = 0;
await getRaw();
const rawPerRequest = rawStatements;

async function throughput(fn: () => Promise<unknown>, total: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < total) await fn();
  }));
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

// Warm both paths (JIT, pools, caches) before the first measured round.
await measure(getGraphQL, ITERATIONS, 0);
await measure(getRaw, ITERATIONS, 0);
const latency = await interleaved(ROUNDS, {
  graphql: async () => (await measure(getGraphQL, ITERATIONS, 5)).p50Ms,
  raw: async () => (await measure(getRaw, ITERATIONS, 5)).p50Ms,
});
const rps = await interleaved(ROUNDS, {
  graphql: () => throughput(getGraphQL, ITERATIONS * 2),
  raw: () => throughput(getRaw, ITERATIONS * 2),
});

const p50 = { graphql: medianSpread(latency.graphql), raw: medianSpread(latency.raw), ratio: ratioSpread(latency.graphql, latency.raw) };
const load = { graphql: medianSpread(rps.graphql), raw: medianSpread(rps.raw), ratio: ratioSpread(rps.graphql, rps.raw) };
const range = (s: { min: number; max: number }, digits = 2) => `${s.min.toFixed(digits)}–${s.max.toFixed(digits)}`;

console.log(`\n## Watchlist read: 50 stocks with quotes (PostgreSQL; ${ROUNDS} interleaved rounds of ${ITERATIONS} sequential requests, then of ${ITERATIONS * 2} with ${CONCURRENCY} in flight)\n`);
console.log('| path | SQL statements (cold / warm) | p50, median of rounds | req/s at 16 in flight |');
console.log('|---|---|---|---|');
console.log(`| GraphQL (Apollo + DataLoader + raw SQL executor) | ${coldStatements} / ${warmStatements} | ${fmt(p50.graphql.median)} (${range(p50.graphql)}) | ${load.graphql.median.toFixed(0)} (${range(load.graphql, 0)}) |`);
console.log(`| raw SQL + hand-built JSON (node:http) | ${rawPerRequest} | ${fmt(p50.raw.median)} (${range(p50.raw)}) | ${load.raw.median.toFixed(0)} (${range(load.raw, 0)}) |`);
console.log(`| ratio GraphQL / raw | | ${p50.ratio.median.toFixed(2)}x (${range(p50.ratio)}) | ${load.ratio.median.toFixed(2)}x (${range(load.ratio)}) |`);

reportRows([
  {
    id: 'watchlist.p50',
    what: 'watchlist of 50 with quotes, p50',
    value: fmt(p50.graphql.median),
    baseline: `raw SQL + node:http ${fmt(p50.raw.median)}`,
    ratio: p50.ratio.median,
    spread: [p50.ratio.min, p50.ratio.max],
    target: '≤ 1.3x',
    met: p50.ratio.median <= 1.3,
  },
  {
    id: 'watchlist.statements',
    what: 'watchlist of 50, SQL statements (stock row cache cold)',
    value: `${coldStatements} (warm: ${warmStatements})`,
    baseline: `raw SQL ${rawPerRequest}`,
    target: '≤ 3 statements',
    met: coldStatements <= 3,
  },
  {
    id: 'watchlist.throughput',
    what: 'watchlist of 50, req/s at 16 in flight',
    value: `${load.graphql.median.toFixed(0)} req/s`,
    baseline: `raw SQL + node:http ${load.raw.median.toFixed(0)} req/s`,
    ratio: load.ratio.median,
    spread: [load.ratio.min, load.ratio.max],
  },
]);

rawServer.close();
await Promise.all([stockPool.end(), userPool.end()]);
await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
