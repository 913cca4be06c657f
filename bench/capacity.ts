// The per-process figures docs/SCALING.md plans from, each against a baseline in the same run:
//   ingest   ticks/s through IngestService.ingestTicks (1,000 symbols a batch: validation, minute/hour/day buckets
//            upserted in one transaction) against the same three upserts sent as raw SQL;
//   memory   server heap and RSS per live graphql-ws price subscriber (clients in a child process) against a raw
//            `ws` server holding the same number of sockets;
//   bus      events/s one process publishes through RedisEventBus and hears back, against raw ioredis PUBLISH /
//            SUBSCRIBE of the same payloads (needs REDIS_URL or the local Redis).
//   npm run bench:capacity        (CAPACITY_SUBSCRIBERS=2000 CAPACITY_ROUNDS=5)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocketServer } from 'ws';
import { createMarketDependencies } from '../src/modules/market/backfill.service.js';
import { RedisEventBus } from '../src/realtime/redis-event-bus.js';
import { createLogger } from '../src/log.js';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, startBenchApp } from './support.js';

const SYMBOLS = 1_000;
const ROUNDS = Number(process.env.CAPACITY_ROUNDS ?? (IN_SUITE ? 3 : 5));
const SUBSCRIBERS = Number(process.env.CAPACITY_SUBSCRIBERS ?? (IN_SUITE ? 1_000 : 2_000));
const BUS_EVENTS = IN_SUITE ? 10_000 : 20_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUERY = 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol price change changePercent volume timestamp } }';
const rows: BenchRow[] = [];

const stock = await createBenchDatabase('stock');
const user = await createBenchDatabase('user');
const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(4, '0')}`);
await stock.sql.query(
  `INSERT INTO stock (symbol, name, sector, industry, exchange) SELECT s, s || ' Corp', 'Technology', 'Software', 'NASDAQ' FROM unnest($1::varchar[]) s`,
  [symbols],
);
await stock.sql.exec(`
  INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ');
  INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES ('AAPL', 'DAY', now(), 188, 191, 187, 190.5, 1000);`);
const { app, url } = await startBenchApp(stock, user, { WS_MAX_SOCKETS_PER_IP: '100000', WS_CONNECTION_INIT_TIMEOUT_MS: '60000', DB_ACQUIRE_TIMEOUT_MS: '30000' });

// --- ingest: one batch = one tick for each of 1,000 symbols, a new minute each round ---
const market = createMarketDependencies(app.config, app.stockDb.sql);
let minute = Date.UTC(2026, 10, 2, 15, 0);
const batch = () => {
  minute += 60_000;
  return symbols.map((symbol, i) => ({ symbol, price: (100 + (i % 50) + Math.random()).toFixed(4), volume: 100 + i, timestamp: new Date(minute) }));
};
const floor = (ms: number, unit: number) => new Date(Math.floor(ms / unit) * unit).toISOString();
async function rawUpserts(ticks: ReturnType<typeof batch>): Promise<void> {
  await app.stockDb.sql.transaction(async (tx) => {
    for (const [interval, unit] of [['MINUTE', 60_000], ['HOUR', 3_600_000], ['DAY', 86_400_000]] as const) {
      await tx.query(
        `INSERT INTO stock_price AS p (symbol, interval, ts, open, high, low, close, volume, source)
         SELECT u.symbol, '${interval}', u.ts, u.price, u.price, u.price, u.price, u.volume, 'bench'
         FROM unnest($1::varchar[], $2::timestamptz[], $3::numeric[], $4::int8[]) AS u(symbol, ts, price, volume)
         ON CONFLICT (symbol, interval, ts) DO UPDATE SET high = GREATEST(p.high, EXCLUDED.high), low = LEAST(p.low, EXCLUDED.low),
           close = EXCLUDED.close, volume = p.volume + EXCLUDED.volume`,
        [ticks.map((t) => t.symbol), ticks.map((t) => floor(t.timestamp.getTime(), unit)), ticks.map((t) => t.price), ticks.map((t) => t.volume)],
      );
    }
  });
}
const ticksPerSecond = async (write: (ticks: ReturnType<typeof batch>) => Promise<unknown>) => {
  const ticks = batch();
  const started = performance.now();
  await write(ticks);
  return SYMBOLS / ((performance.now() - started) / 1000);
};
await ticksPerSecond((t) => market.ingest.ingestTicks(t, 'bench'));
const ingest = await interleaved(ROUNDS, {
  ours: () => ticksPerSecond((t) => market.ingest.ingestTicks(t, 'bench')),
  raw: () => ticksPerSecond(rawUpserts),
});
const ingestRatio = ratioSpread(ingest.ours, ingest.raw);
rows.push({
  id: 'capacity.ingest',
  what: 'ticks ingested per second, batches of 1,000 symbols (minute, hour and day candles upserted)',
  value: `${Math.round(medianSpread(ingest.ours).median).toLocaleString('en-US')} ticks/s`,
  baseline: `raw SQL upserts ${Math.round(medianSpread(ingest.raw).median).toLocaleString('en-US')} ticks/s`,
  ratio: Number(ingestRatio.median.toFixed(3)),
  spread: [Number(ingestRatio.min.toFixed(3)), Number(ingestRatio.max.toFixed(3))],
});

// --- memory per subscriber ---
const child: ChildProcess = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] });
const ask = <T = any>(message: object, type: string) =>
  new Promise<T>((resolve) => {
    const on = (m: any) => m.type === type && (child.off('message', on), resolve(m));
    child.on('message', on);
    child.send(message);
  });
// The suite runs benchmarks without --expose-gc: switch it on here so the heap is measured after a collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};
async function bytesPerSocket(mode: 'graphql' | 'raw', target: string): Promise<{ heap: number; rss: number; live: number }> {
  const before = await settle();
  const ready = await ask<{ count: number }>({ type: 'start', mode, url: target, count: SUBSCRIBERS, query: QUERY }, 'ready');
  const after = await settle();
  await ask({ type: 'stop' }, 'stopped');
  return { heap: (after.heap - before.heap) / ready.count, rss: (after.rss - before.rss) / ready.count, live: ready.count };
}
const rawWs = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => rawWs.once('listening', resolve));
const rawUrl = `ws://127.0.0.1:${(rawWs.address() as { port: number }).port}`;
const memory = { graphql: [] as { heap: number; rss: number }[], raw: [] as { heap: number; rss: number }[] };
for (let round = 0; round < Math.min(ROUNDS, 3); round += 1) {
  memory.graphql.push(await bytesPerSocket('graphql', url.replace('http', 'ws')));
  memory.raw.push(await bytesPerSocket('raw', rawUrl));
}
child.kill();
rawWs.close();
const kb = (values: number[]) => medianSpread(values).median / 1024;
rows.push({
  id: 'capacity.heap-per-subscriber',
  what: `server heap per live graphql-ws price subscriber (${SUBSCRIBERS.toLocaleString('en-US')} subscribers)`,
  value: `${kb(memory.graphql.map((m) => m.heap)).toFixed(1)} KB`,
  baseline: `raw ws socket ${kb(memory.raw.map((m) => m.heap)).toFixed(1)} KB`,
  ratio: Number((kb(memory.graphql.map((m) => m.heap)) / Math.max(0.1, kb(memory.raw.map((m) => m.heap)))).toFixed(2)),
  note: `RSS per subscriber ${kb(memory.graphql.map((m) => m.rss)).toFixed(1)} KB (raw ${kb(memory.raw.map((m) => m.rss)).toFixed(1)} KB)`,
});

// --- bus: events per second through Redis and back, one process ---
const prefix = `bench:capacity:${randomBytes(4).toString('hex')}:`;
const payload = { symbol: 'AAPL', price: 190.5, change: 1.25, changePercent: 0.66, volume: 12345, timestamp: new Date().toISOString() };
async function busRate(kind: 'ours' | 'raw'): Promise<number> {
  const pub = new Redis(REDIS_URL);
  const sub = new Redis(REDIS_URL);
  let heard = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const topics = Array.from({ length: 100 }, (_, i) => `price:T${i}`);
  let close: () => Promise<void>;
  let publish: (topic: string) => Promise<unknown>;
  if (kind === 'ours') {
    const bus = new RedisEventBus(pub, sub, createLogger('silent'), prefix);
    for (const topic of topics) await bus.subscribe(topic, () => ++heard === BUS_EVENTS && done());
    publish = (topic) => bus.publish(topic, payload);
    close = () => bus.close();
  } else {
    await sub.subscribe(...topics.map((t) => prefix + t));
    sub.on('message', () => ++heard === BUS_EVENTS && done());
    publish = (topic) => pub.publish(prefix + topic, JSON.stringify(payload));
    close = async () => void (pub.disconnect(), sub.disconnect());
  }
  const started = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < BUS_EVENTS; i += 1) sends.push(publish(topics[i % topics.length]!));
  await Promise.all(sends);
  await all;
  const rate = BUS_EVENTS / ((performance.now() - started) / 1000);
  await close();
  pub.disconnect();
  sub.disconnect();
  return rate;
}
const bus = await interleaved(ROUNDS, { ours: () => busRate('ours'), raw: () => busRate('raw') });
const busRatio = ratioSpread(bus.ours, bus.raw);
rows.push({
  id: 'capacity.bus',
  what: 'events per second published through the Redis bus and delivered back to one process (100 topics)',
  value: `${Math.round(medianSpread(bus.ours).median).toLocaleString('en-US')} events/s`,
  baseline: `raw ioredis PUBLISH/SUBSCRIBE ${Math.round(medianSpread(bus.raw).median).toLocaleString('en-US')} events/s`,
  ratio: Number(busRatio.median.toFixed(3)),
  spread: [Number(busRatio.min.toFixed(3)), Number(busRatio.max.toFixed(3))],
});

console.log('\n| figure | ours | baseline | ratio | note |\n|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.what} | ${row.value} | ${row.baseline} | ${row.ratio}x | ${row.note ?? ''} |`);
reportRows(rows);
await app.close();
await Promise.all([stock.drop(), user.drop()]);
process.exit(0);
