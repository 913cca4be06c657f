// Benchmark: a 50-stock watchlist read through GraphQL (HTTP -> Apollo -> resolvers ->
// DataLoader -> Prisma) against the same data fetched with two raw SQL queries and
// serialised by hand behind a bare node:http handler, in the same run, on real PostgreSQL.
//   npm run bench:watchlist            (BENCH_DATABASE_URL to use another server)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { AccessTokens, bearerToken } from '../src/modules/auth/access-token.js';
import { createBenchDatabase, fmt, measure } from './support.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);
const CONCURRENCY = 16;
const QUERY = `query($id: ID!) { collection(id: $id) { name stocks { symbol name sector quote { price change changePercent volume timestamp } } } }`;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
const symbols = SEED_STOCKS.slice(0, 50).map((stock) => stock.symbol);
await seedStockDb(stockDb.sql, { symbols, years: 1 });

const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '12', SEED_ON_START: 'false', STOCK_DATABASE_URL: stockDb.url, USER_DATABASE_URL: userDb.url });
const app = await createApp(config);
const graphqlUrl = await app.listen();

async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown };
}

const registered = await post(`mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }`, {
  i: { email: 'bench@example.com', password: 'benchmark password', fullName: 'Bench' },
});
const token: string = registered.data.register.accessToken;
const created = await post(`mutation($i: CreateCollectionInput!) { createCollection(input: $i) { id } }`, { i: { name: 'Fifty', symbols } }, token);
const collectionId: string = created.data.createCollection.id;

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
        timestamp: new Date(latest.ts).toISOString(),
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
const getRaw = async () => (await fetch(rawUrl, { headers: { authorization: `Bearer ${token}` } })).json();
const getGraphQL = () => post(QUERY, { id: collectionId }, token);

// Both must serve the same bytes' worth of data before their speed means anything.
const [viaGraphQL, viaRaw] = [await getGraphQL(), await getRaw()];
if (!isDeepStrictEqual(viaGraphQL, viaRaw)) throw new Error(`results differ:\n${JSON.stringify(viaGraphQL).slice(0, 300)}\n${JSON.stringify(viaRaw).slice(0, 300)}`);
if (viaGraphQL.data.collection.stocks.length !== 50) throw new Error('expected 50 stocks');

app.stockDb.queries.reset();
app.userDb.queries.reset();
await getGraphQL();
const graphqlStatements = app.stockDb.queries.count + app.userDb.queries.count;
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

const graphql = await measure(getGraphQL, ITERATIONS);
const raw = await measure(getRaw, ITERATIONS);
const graphqlRps = await throughput(getGraphQL, ITERATIONS * 2);
const rawRps = await throughput(getRaw, ITERATIONS * 2);

console.log(`\n## Watchlist read: 50 stocks with quotes (PostgreSQL, ${ITERATIONS} sequential requests each, ${CONCURRENCY} concurrent for throughput)\n`);
console.log('| path | SQL statements | p50 | p95 | p99 | mean | req/s at 16 in flight |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| GraphQL (Apollo + DataLoader + Prisma) | ${graphqlStatements} | ${fmt(graphql.p50Ms)} | ${fmt(graphql.p95Ms)} | ${fmt(graphql.p99Ms)} | ${fmt(graphql.meanMs)} | ${graphqlRps.toFixed(0)} |`);
console.log(`| raw SQL + hand-built JSON (node:http) | ${rawPerRequest} | ${fmt(raw.p50Ms)} | ${fmt(raw.p95Ms)} | ${fmt(raw.p99Ms)} | ${fmt(raw.meanMs)} | ${rawRps.toFixed(0)} |`);
console.log(`| ratio GraphQL / raw | ${(graphqlStatements / rawPerRequest).toFixed(1)}x | ${(graphql.p50Ms / raw.p50Ms).toFixed(2)}x | ${(graphql.p95Ms / raw.p95Ms).toFixed(2)}x | ${(graphql.p99Ms / raw.p99Ms).toFixed(2)}x | ${(graphql.meanMs / raw.meanMs).toFixed(2)}x | ${(rawRps / graphqlRps).toFixed(2)}x slower |`);

rawServer.close();
await Promise.all([stockPool.end(), userPool.end()]);
await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
