// Benchmark: a page of 50 stocks with their latest price, `stocks(first: 50) { … quote { price } }`,
// req/s at 16 in flight, against PostGraphile 4 serving the same stock database (its own pool of
// the same size) in the same run, rounds interleaved. Both answers are checked equal first.
//   npm run bench:stocks-page      (BENCH_DATABASE_URL to use another server; BENCH_SECONDS per round)
//
// PostGraphile side: a schema the bench creates, `postgraphile_bench`, holding a view of the
// listed stocks (active, not FX: what `stocks` lists) and a computed column
// `listed_stock_quote(listed_stock) → quote(price, ts)`. Computed columns must live in their
// table's schema, hence the view rather than a function on public.stock. The function reads the
// latest DAY candle as the app's quote loader does (src/modules/stock/latest-candles.ts): within
// the last 10 days first (partition pruning), the unbounded scan only when that finds none. The
// app reads two candles a symbol (for `change`); PostGraphile one: the difference favours it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows } from './report.js';
import { loadPostgraphile } from './postgraphile.js';
import { createBenchDatabase, startBenchApp } from './support.js';

const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? (IN_SUITE ? 3 : 8));
const ROUNDS = IN_SUITE ? 3 : 5;
const TARGET = 2;

const OURS = `{ stocks(first: 50) { edges { node { symbol name quote { price } } } } }`;
const THEIRS = `{ allListedStocks(first: 50, orderBy: SYMBOL_ASC) { nodes { symbol name quote { price } } } }`;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
let server: Server | undefined;
let pool: pg.Pool | undefined;
let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
let cachedBench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
try {
  // 60 listed symbols so the page of 50 is a real page (`stocks` asks for 51 to know hasNextPage).
  await seedStockDb(stockDb.sql, { symbols: SEED_STOCKS.slice(0, 60).map((stock) => stock.symbol), years: 1 });
  await stockDb.sql.exec(`
    CREATE SCHEMA postgraphile_bench;
    CREATE VIEW postgraphile_bench.listed_stock AS
      SELECT symbol, name FROM public.stock WHERE is_active AND asset_class <> 'FX';
    CREATE TYPE postgraphile_bench.quote AS (price numeric, ts timestamptz);
    CREATE FUNCTION postgraphile_bench.listed_stock_quote(s postgraphile_bench.listed_stock) RETURNS postgraphile_bench.quote
      LANGUAGE sql STABLE AS $$
        SELECT coalesce(
          (SELECT row(p.close, p.ts)::postgraphile_bench.quote FROM public.stock_price p
            WHERE p.symbol = s.symbol AND p.interval = 'DAY' AND p.ts >= now() - interval '10 days' ORDER BY p.ts DESC LIMIT 1),
          (SELECT row(p.close, p.ts)::postgraphile_bench.quote FROM public.stock_price p
            WHERE p.symbol = s.symbol AND p.interval = 'DAY' ORDER BY p.ts DESC LIMIT 1))
      $$;
    ANALYZE;`);

  bench = await startBenchApp(stockDb, userDb, { RESPONSE_CACHE: 'off' });
  // The same app with the response cache on: anonymous repeats between ticks answered before Apollo (README "Caching").
  cachedBench = await startBenchApp(stockDb, userDb, { RESPONSE_CACHE: 'on' });
  pool = new pg.Pool({ connectionString: stockDb.url, max: bench.config.dbPoolMax });
  const handler = loadPostgraphile()(pool, ['postgraphile_bench'], {
    graphqlRoute: '/graphql',
    disableQueryLog: true,
    disableDefaultMutations: true,
    ignoreRBAC: true,
    retryOnInitFail: false,
    setofFunctionsContainNulls: false,
  });
  server = createServer(handler);
  await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
  const theirsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  // --- the two answers must carry the same symbols and prices, in the same order ---
  const ours = await bench.post(OURS);
  const theirsResponse = await fetch(theirsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: THEIRS }) });
  const theirs = (await theirsResponse.json()) as { data?: any; errors?: unknown };
  if (ours.errors || theirs.errors) throw new Error(`errors: ${JSON.stringify(ours.errors ?? theirs.errors)}`);
  const ourPage = (ours.data.stocks.edges as { node: { symbol: string; name: string; quote: { price: number } | null } }[]).map(({ node }) => [node.symbol, node.name, node.quote?.price ?? null]);
  const theirPage = (theirs.data.allListedStocks.nodes as { symbol: string; name: string; quote: { price: string | null } | null }[]).map((node) => [
    node.symbol, node.name, node.quote?.price == null ? null : Number(node.quote.price),
  ]);
  if (ourPage.length !== 50 || JSON.stringify(ourPage) !== JSON.stringify(theirPage)) {
    throw new Error(`the answers differ:\nours   ${JSON.stringify(ourPage.slice(0, 3))}…\ntheirs ${JSON.stringify(theirPage.slice(0, 3))}…`);
  }
  if (ourPage.some(([, , price]) => price === null)) throw new Error('a stock of the page has no price: the seed did not reach it');

  /** Requests per second of one autocannon run at CONNECTIONS in flight; throws on any non-2xx or socket error. */
  async function load(url: string, query: string, seconds = SECONDS): Promise<number> {
    const result = await autocannon({
      url, connections: CONNECTIONS, duration: seconds, method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }),
    });
    if (result.non2xx || result.errors || result.timeouts) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    return result.requests.average;
  }

  // Warm-up: JIT, both pools filled, plans cached.
  await load(bench.url, OURS, 2);
  await load(theirsUrl, THEIRS, 2);
  await load(cachedBench.url, OURS, 2);
  const rounds = await interleaved(ROUNDS, {
    ours: () => load(bench!.url, OURS),
    postgraphile: () => load(theirsUrl, THEIRS),
    cached: () => load(cachedBench!.url, OURS),
  });

  const oursRps = medianSpread(rounds.ours);
  const theirsRps = medianSpread(rounds.postgraphile);
  const ratio = ratioSpread(rounds.ours, rounds.postgraphile);
  const cachedRps = medianSpread(rounds.cached);
  const cachedRatio = ratioSpread(rounds.cached, rounds.postgraphile);
  const rps = (value: number) => `${Math.round(value).toLocaleString('en-US')} req/s`;
  console.log(`\nstocks(first: 50) { symbol name quote { price } }, ${CONNECTIONS} in flight, ${ROUNDS} interleaved rounds of ${SECONDS} s\n`);
  console.log('| server | req/s (median) | min | max |\n|---|---|---|---|');
  console.log(`| marketgraph, RESPONSE_CACHE=off (Apollo + type-graphql + DataLoader + raw SQL) | ${rps(oursRps.median)} | ${rps(oursRps.min)} | ${rps(oursRps.max)} |`);
  console.log(`| marketgraph, response cache on (repeats between ticks) | ${rps(cachedRps.median)} | ${rps(cachedRps.min)} | ${rps(cachedRps.max)} |`);
  console.log(`| PostGraphile 4 (one SQL statement per request) | ${rps(theirsRps.median)} | ${rps(theirsRps.min)} | ${rps(theirsRps.max)} |`);
  console.log(`| ratio ours (cache off) / PostGraphile | ${ratio.median.toFixed(2)}x | ${ratio.min.toFixed(2)}x | ${ratio.max.toFixed(2)}x |`);
  console.log(`| ratio ours (cache on) / PostGraphile | ${cachedRatio.median.toFixed(2)}x | ${cachedRatio.min.toFixed(2)}x | ${cachedRatio.max.toFixed(2)}x |`);
  reportRows([{
    id: 'stocks-page.cached-rps',
    what: 'stocks(first: 50) with quote { price }, response cache on, req/s at 16 in flight',
    value: rps(cachedRps.median),
    baseline: `PostGraphile 4 ${rps(theirsRps.median)}`,
    ratio: cachedRatio.median,
    spread: [cachedRatio.min, cachedRatio.max],
    target: `≥ ${TARGET}x`,
    met: cachedRatio.median >= TARGET,
    note: 'anonymous repeats between ticks, answered by the HTTP fast path; PostGraphile has no response cache',
  }, {
    id: 'stocks-page.rps',
    what: 'stocks(first: 50) with quote { price }, response cache off, req/s at 16 in flight',
    value: rps(oursRps.median),
    baseline: `PostGraphile 4 ${rps(theirsRps.median)}`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: `≥ ${TARGET}x`,
    met: ratio.median >= TARGET,
    note: 'same database, pools of the same size; PostGraphile reads the latest candle through a computed column',
  }]);
} finally {
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  await pool?.end();
  await bench?.app.close();
  await cachedBench?.app.close();
  await Promise.all([stockDb.drop(), userDb.drop()]);
}
