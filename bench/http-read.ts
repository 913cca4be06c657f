// Issue 11: `{ stock(symbol:"AAPL"){ symbol name sector marketCap } }` over HTTP with 50 connections, answered by
// the response cache's fast path, against a raw node:http server writing the same bytes, mercurius (fastify) and
// graphql-yoga on the same shape with equivalent resolvers (an in-process row lookup, as our StockRowCache gives),
// and our own miss path (RESPONSE_CACHE=off: every request through Apollo). The load generator (autocannon) runs
// in a child process so it never shares an event loop with the servers.
//
//   npm run bench:http-read      (BENCH_SUITE=1: shorter rounds)
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { createSchema, createYoga } from 'graphql-yoga';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, startBenchApp, type BenchApp } from './support.js';

const CONNECTIONS = 50;
const ROUNDS = IN_SUITE ? 3 : 5;
const SECONDS = IN_SUITE ? 3 : 5;
const QUERY = '{ stock(symbol:"AAPL"){ symbol name sector marketCap } }';
const BODY = JSON.stringify({ query: QUERY });
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const run = promisify(execFile);

/**
 * This process's CPU time per answered request, per contender and round: every server runs here and the load
 * generator does not, so it is what a request costs the server, far less sensitive than req/s to the other work
 * on a shared machine.
 */
const cpuPerRequest: Record<string, number[]> = {};

/** Requests per second of one autocannon run against `url`, from a child process; non-2xx answers fail the run. */
async function requestsPerSecond(name: string, url: string): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const { stdout } = await run(
    process.execPath,
    [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-m', 'POST', '-H', 'content-type=application/json', '-b', BODY, '--json', url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const cpu = process.cpuUsage(cpuBefore);
  const result = JSON.parse(stdout) as { requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  (cpuPerRequest[name] ??= []).push((cpu.user + cpu.system) / Math.max(1, result.requests.total));
  return result.requests.average;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
}

const TYPE_DEFS = /* GraphQL */ `
  type Stock { symbol: String! name: String! sector: String! marketCap: Float }
  type Query { stock(symbol: String!): Stock }
`;

async function main(): Promise<void> {
  const [stockDb, userDb] = await Promise.all([createBenchDatabase('stock'), createBenchDatabase('user')]);
  const closers: (() => Promise<unknown>)[] = [() => stockDb.drop(), () => userDb.drop()];
  try {
    await stockDb.sql.query(
      `INSERT INTO stock (symbol, name, sector, industry, exchange, market_cap) VALUES ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ', 3400000000000)`,
    );
    const cached: BenchApp = await startBenchApp(stockDb, userDb, { RESPONSE_CACHE: 'on' });
    closers.unshift(() => cached.app.close());
    const uncached: BenchApp = await startBenchApp(stockDb, userDb, { RESPONSE_CACHE: 'off' });
    closers.unshift(() => uncached.app.close());

    // The bytes our server answers (and that the raw server writes back).
    const probe = await fetch(cached.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    const bytes = Buffer.from(await probe.arrayBuffer());
    const contentType = probe.headers.get('content-type') ?? 'application/json; charset=utf-8';
    for (let i = 0; i < 5; i += 1) await fetch(cached.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    const hit = await fetch(cached.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    if (hit.headers.get('x-response-cache') !== 'HIT') throw new Error('the response cache did not answer the warm query');

    const raw = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
        res.end(bytes);
      });
    });
    const rawUrl = await listen(raw);
    closers.unshift(() => new Promise((done) => raw.close(done)));

    // The same row our StockRowCache would hand out: resolvers that read memory, not the database.
    const rows = new Map([['AAPL', { symbol: 'AAPL', name: 'Apple Inc.', sector: 'Technology', marketCap: 3.4e12 }]]);
    const resolvers = { Query: { stock: (_: unknown, args: { symbol: string }) => rows.get(args.symbol) ?? null } };

    const fastify = Fastify({ logger: false });
    await fastify.register(mercurius, { schema: TYPE_DEFS, resolvers, path: '/graphql' });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const mercuriusUrl = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}/graphql`;
    closers.unshift(() => fastify.close());

    const yoga = createYoga({ schema: createSchema({ typeDefs: TYPE_DEFS, resolvers }), graphqlEndpoint: '/graphql', logging: false, landingPage: false });
    const yogaServer = createServer(yoga);
    const yogaUrl = await listen(yogaServer);
    closers.unshift(() => new Promise((done) => yogaServer.close(done)));

    const before = { ...cached.app.responseCache!.stats };
    const results = await interleaved(ROUNDS, {
      raw: () => requestsPerSecond('raw', rawUrl),
      cached: () => requestsPerSecond('cached', cached.url),
      miss: () => requestsPerSecond('miss', uncached.url),
      mercurius: () => requestsPerSecond('mercurius', mercuriusUrl),
      yoga: () => requestsPerSecond('yoga', yogaUrl),
    });
    const stats = cached.app.responseCache!.stats;
    const served = { hits: stats.hits - before.hits, misses: stats.misses - before.misses };

    const rawRate = medianSpread(results.raw).median;
    const row = (id: string, what: string, ours: number[], target?: string, min?: number, note?: string): BenchRow => {
      const ratio = ratioSpread(ours, results.raw);
      return {
        id: `http-read.${id}`,
        what,
        value: `${Math.round(medianSpread(ours).median).toLocaleString('en-US')} req/s`,
        baseline: `raw node:http ${Math.round(rawRate).toLocaleString('en-US')} req/s`,
        ratio: Number(ratio.median.toFixed(3)),
        spread: [Number(ratio.min.toFixed(3)), Number(ratio.max.toFixed(3))],
        ...(target ? { target, met: ratio.median >= min! } : {}),
        ...(note ? { note } : {}),
      };
    };
    // What one hit costs the server: its CPU per request, against the raw server's in the same rounds.
    const cpuOf = (name: string) => medianSpread(cpuPerRequest[name]!).median;
    const perHitUs = (cpuOf('cached') - cpuOf('raw')).toFixed(1);
    const cpuRow = (id: string, what: string): BenchRow => {
      // raw CPU ÷ ours: the throughput a CPU-bound server would reach relative to raw, oriented like the req/s rows.
      const ratio = ratioSpread(cpuPerRequest.raw!, cpuPerRequest[id]!);
      return {
        id: `http-read.cpu-${id}`,
        what,
        value: `${cpuOf(id).toFixed(1)} µs CPU/request`,
        baseline: `raw node:http ${cpuOf('raw').toFixed(1)} µs`,
        ratio: Number(ratio.median.toFixed(3)),
        spread: [Number(ratio.min.toFixed(3)), Number(ratio.max.toFixed(3))],
        ...(id === 'cached' ? { target: '≥ 0.5x', met: ratio.median >= 0.5 } : {}),
        note: 'server CPU per request (raw ÷ ours): what req/s would be if the server alone had the core',
      };
    };

    console.log(`\n${QUERY} over HTTP, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s (autocannon in a child process)\n`);
    console.table(
      Object.fromEntries(
        Object.entries(results).map(([name, values]) => {
          const s = medianSpread(values as number[]);
          return [
            name,
            { 'median req/s': Math.round(s.median), min: Math.round(s.min), max: Math.round(s.max), 'x raw': (s.median / rawRate).toFixed(3), 'CPU µs/request': cpuOf(name).toFixed(1) },
          ];
        }),
      ),
    );
    console.log(`response cache during the runs: ${served.hits} hits, ${served.misses} misses; a hit costs the server ~${perHitUs} µs of CPU more than writing the bytes`);

    reportRows([
      row('cached', 'stock(AAPL) { symbol name sector marketCap }, response-cache hit (fast path)', results.cached, '≥ 0.5x', 0.5, `a hit costs ~${perHitUs} µs of CPU over the raw server; ${served.misses} misses in ${served.hits + served.misses} lookups`),
      cpuRow('cached', 'the same, server CPU per hit'),
      row('miss', 'the same query with RESPONSE_CACHE=off (through Apollo on every request)', results.miss, undefined, undefined, 'the miss path: Apollo parse, validate, execute; the stock row from StockRowCache'),
      row('mercurius', 'mercurius (fastify) on the same shape, resolvers reading memory', results.mercurius),
      row('yoga', 'graphql-yoga on the same shape, resolvers reading memory', results.yoga),
      cpuRow('miss', 'the miss path, server CPU per request'),
      cpuRow('mercurius', 'mercurius, server CPU per request'),
    ]);
  } finally {
    for (const close of closers) await close().catch((error: unknown) => console.error('cleanup failed', error));
  }
}

await main();
