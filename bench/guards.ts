// Benchmark: what the query guards answer to the attacks from the abuse issue, and what
// another client's `{ __typename }` latency is during each attack vs idle. The app runs
// in this process on a fresh local PostgreSQL database (BENCH_DATABASE_URL to use another),
// on loopback; every loop is bounded.
//   npm run bench:guards
import WebSocket from 'ws';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { createBenchDatabase, measure, type LatencySummary } from './support.js';

const PROBES = Number(process.env.BENCH_ITERATIONS ?? 200);
const ATTACKERS = 4;
const MAX_ATTACKS = 2_000;

const stockDb = await createBenchDatabase('stock');
const userDb = await createBenchDatabase('user');
await seedStockDb(stockDb.sql, { symbols: SEED_STOCKS.slice(0, 20).map((s) => s.symbol), years: 1 });
const config = loadConfig({
  NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '12', SEED_ON_START: 'false',
  STOCK_DATABASE_URL: stockDb.url, USER_DATABASE_URL: userDb.url,
});
const app = await createApp(config);
const url = await app.listen();

const aliasBomb = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: stock(symbol:"AAPL"){ candles(last:500){ close } }`).join(' ')} }`;
const chain = `query { ...F0 } ${Array.from({ length: 25 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F25 on Query { __typename }`;
const candleBomb = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: stocks(first:100){ edges { node { candles(last:1000) { close } } } }`).join(' ')} }`;

async function post(query: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return `${response.status} ${body.errors?.[0]?.extensions?.code ?? 'data'}`;
}

const probe = () => post('{ __typename }');

/** Runs `attack` from ATTACKERS loops until the probes are done (or MAX_ATTACKS), measuring the probe meanwhile. */
async function during(attack: () => Promise<unknown>, maxAttacks = MAX_ATTACKS): Promise<{ latency: LatencySummary; attacks: number }> {
  let done = false;
  let attacks = 0;
  const loops = Array.from({ length: ATTACKERS }, async () => {
    while (!done && attacks < maxAttacks) {
      attacks += 1;
      await attack().catch(() => undefined);
    }
  });
  const latency = await measure(probe, PROBES, 10);
  done = true;
  await Promise.all(loops);
  return { latency, attacks };
}

/** One websocket sending subscribe/complete pairs as fast as it can; resolves with its close code. */
function wsFlood(): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    socket.on('close', (code) => resolve(code));
    socket.on('error', () => undefined);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      if (JSON.parse(data.toString()).type !== 'connection_ack') return;
      // 100 pairs per turn of the event loop, so the server's close is seen and ends the flood.
      let i = 0;
      const burst = () => {
        for (const end = i + 100; i < end && i < 19_000 && socket.readyState === WebSocket.OPEN; i += 1) {
          socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: '{ __typename }' } }));
          socket.send(JSON.stringify({ id: String(i), type: 'complete' }));
        }
        if (i < 19_000 && socket.readyState === WebSocket.OPEN) setImmediate(burst);
        else if (socket.readyState === WebSocket.OPEN) socket.close();
      };
      burst();
    });
  });
}

const rows: { attack: string; answer: string; attacks: number; p50: string; p99: string }[] = [];
const idle = await measure(probe, PROBES);
rows.push({ attack: 'idle', answer: '-', attacks: 0, p50: idle.p50Ms.toFixed(2), p99: idle.p99Ms.toFixed(2) });
for (const [name, query] of [['alias bomb (1,000 × candles(last:500))', aliasBomb], ['fragment chain (26 × 2 spreads)', chain], ['candle bomb (5 × 100 stocks × 1,000)', candleBomb]] as const) {
  const answer = await post(query);
  const { latency, attacks } = await during(() => post(query));
  rows.push({ attack: name, answer, attacks, p50: latency.p50Ms.toFixed(2), p99: latency.p99Ms.toFixed(2) });
}
const closeCode = await wsFlood();
const flood = await during(wsFlood, 200);
rows.push({ attack: 'websocket flood (19,000 subscribe/complete)', answer: `close ${closeCode}`, attacks: flood.attacks, p50: flood.latency.p50Ms.toFixed(2), p99: flood.latency.p99Ms.toFixed(2) });

console.log(`\n{ __typename } latency of another client, ${PROBES} sequential probes per row (ms)\n`);
console.log(`| attack | server's answer | attack requests | p50 | p99 |\n|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.attack} | ${r.answer} | ${r.attacks} | ${r.p50} | ${r.p99} |`);

await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
