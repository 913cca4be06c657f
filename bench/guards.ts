// Benchmark: what the query guards answer to the attacks from the abuse issue, and what
// another client's `{ __typename }` latency is during each attack vs idle. The app runs
// in this process on a fresh local PostgreSQL database (BENCH_DATABASE_URL to use another),
// on loopback; every loop is bounded. Idle and each attack alternate, round after round.
//   npm run bench:guards
import WebSocket from 'ws';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedStockDb } from '../src/db/seed/seed-stock-db.js';
import { SEED_STOCKS } from '../src/db/seed/stocks.data.js';
import { interleaved, IN_SUITE, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, measure, type LatencySummary } from './support.js';

const PROBES = Number(process.env.BENCH_ITERATIONS ?? (IN_SUITE ? 50 : 200));
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

const ROUNDS = IN_SUITE ? 2 : 3;
interface Round { p50: number; p99: number; attacks: number }
const seen: Record<string, Round[]> = {};
/** Runs one contender's round, keeps its p99 and attack count, and hands interleaved() its p50. */
const round = (name: string, run: () => Promise<{ latency: LatencySummary; attacks: number }>) => async () => {
  const { latency, attacks } = await run();
  (seen[name] ??= []).push({ p50: latency.p50Ms, p99: latency.p99Ms, attacks });
  return latency.p50Ms;
};
const attacks = [
  { key: 'alias-bomb', name: 'alias bomb (1,000 × candles(last:500))', query: aliasBomb },
  { key: 'fragment-chain', name: 'fragment chain (26 × 2 spreads)', query: chain },
  { key: 'candle-bomb', name: 'candle bomb (5 × 100 stocks × 1,000)', query: candleBomb },
] as const;
const answers: Record<string, string> = {};
for (const attack of attacks) answers[attack.key] = await post(attack.query);
answers.flood = `close ${await wsFlood()}`;
const rounds = await interleaved(ROUNDS, {
  idle: round('idle', async () => ({ latency: await measure(probe, PROBES, 10), attacks: 0 })),
  ...Object.fromEntries(attacks.map((attack) => [attack.key, round(attack.key, () => during(() => post(attack.query)))])),
  flood: round('flood', () => during(wsFlood, 200)),
} as Record<string, () => Promise<number>>);

const median = (values: number[]) => medianSpread(values).median;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const idleP50 = median(seen.idle!.map((r) => r.p50));
const idleP99 = median(seen.idle!.map((r) => r.p99));
console.log(`\n{ __typename } latency of another client, ${PROBES} sequential probes per row, ${ROUNDS} interleaved rounds (medians, ms)\n`);
console.log(`| attack | server's answer | attack requests | p50 | p99 | p50 / idle p50 |\n|---|---|---|---|---|---|`);
console.log(`| idle | - | 0 | ${idleP50.toFixed(2)} | ${idleP99.toFixed(2)} | 1.00x |`);
const benchRows: BenchRow[] = [];
for (const { key, name } of [...attacks, { key: 'flood', name: 'websocket flood (19,000 subscribe/complete a socket)' }]) {
  const r = seen[key]!;
  const ratio = ratioSpread(rounds[key]!, rounds.idle!);
  const p99 = median(r.map((x) => x.p99));
  const sent = median(r.map((x) => x.attacks));
  console.log(`| ${name} | ${answers[key]} | ${sent.toFixed(0)} | ${median(r.map((x) => x.p50)).toFixed(2)} | ${p99.toFixed(2)} | ${ratio.median.toFixed(2)}x |`);
  benchRows.push({
    id: `guards.${key}`, what: `another client's p50 during the ${name}`, value: ms(median(r.map((x) => x.p50))),
    baseline: `idle p50 ${ms(idleP50)}`, ratio: ratio.median, spread: [ratio.min, ratio.max],
    note: `answer ${answers[key]}; p99 ${ms(p99)} (idle ${ms(idleP99)}); ${sent.toFixed(0)} ${key === 'flood' ? 'sockets' : 'attack requests'}`,
  });
}
reportRows(benchRows);

await app.close();
await Promise.all([stockDb.drop(), userDb.drop()]);
