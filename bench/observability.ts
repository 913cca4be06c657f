// What the per-operation log line costs: `query Probe { __typename }` under load against an app that logs every
// operation at info (pino, synchronous writes to /dev/null, as to a piped stdout) next to the same app with
// LOG_LEVEL=silent, interleaved. Both count metrics (the registry has no off switch); the scrape's time is reported.
import { openSync, writeSync } from 'node:fs';
import autocannon from 'autocannon';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows } from './report.js';
import { createBenchDatabase, type BenchDatabase } from './support.js';

const ROUNDS = IN_SUITE ? 3 : 5;
const SECONDS = IN_SUITE ? 2 : 4;
const CONNECTIONS = 10;
const BODY = JSON.stringify({ query: 'query Probe { __typename }' });

async function start(stock: BenchDatabase, user: BenchDatabase, level: 'info' | 'silent') {
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: level, SEED_ON_START: 'false', RATE_LIMITS: 'off',
    STOCK_DATABASE_URL: stock.url, USER_DATABASE_URL: user.url,
  });
  const devNull = openSync('/dev/null', 'w');
  // Synchronous like the real destination (pino.destination({ sync: true })), into /dev/null so this output stays readable.
  const app = await createApp(config, { logger: createLogger(level, { write: (line: string) => void writeSync(devNull, line) }) });
  return { app, url: await app.listen() };
}

async function throughput(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

const [stock, user] = await Promise.all([createBenchDatabase('stock'), createBenchDatabase('user')]);
const logged = await start(stock, user, 'info');
const silent = await start(stock, user, 'silent');
const results = await interleaved(ROUNDS, { logged: () => throughput(logged.url), silent: () => throughput(silent.url) });
const scrapeMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  await (await fetch(logged.url.replace('/graphql', '/metrics'))).text();
  scrapeMs.push(performance.now() - started);
}
const ratio = ratioSpread(results.logged, results.silent);
const ours = medianSpread(results.logged).median;
const base = medianSpread(results.silent).median;
const scrape = medianSpread(scrapeMs).median;
console.log(`logged ${ours.toFixed(0)} req/s, silent ${base.toFixed(0)} req/s, ratio ${ratio.median.toFixed(3)} (${ratio.min.toFixed(3)}-${ratio.max.toFixed(3)}); GET /metrics ${scrape.toFixed(1)} ms`);

await Promise.all([logged.app.close(), silent.app.close()]);
await Promise.all([stock.drop(), user.drop()]);
reportRows([
  {
    id: 'observability.log-line',
    what: '`{ __typename }` req/s with one info log line per operation',
    value: `${ours.toFixed(0)} req/s`,
    baseline: `LOG_LEVEL=silent ${base.toFixed(0)} req/s`,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    target: '≥ 0.9x',
    met: ratio.median >= 0.9,
    note: `${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s; GET /metrics took ${scrape.toFixed(1)} ms (median of 20)`,
  },
]);
