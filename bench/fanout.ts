// Benchmark: one price tick fanned out to 1k and 10k graphql-ws subscribers on
// loopback, against a raw `ws` broadcast of the same bytes to the same number of
// sockets, in the same run, rounds interleaved. Clients live in a child process.
//   npm run bench:fanout        (FANOUT_SIZES=1000,10000 FANOUT_ROUNDS=3 FANOUT_TICKS=5)
// Profile the server side: node --cpu-prof --cpu-prof-dir=prof --import tsx bench/fanout.ts
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { IN_SUITE, interleaved, medianSpread, ratioSpread, reportRows, type BenchRow } from './report.js';
import { createBenchDatabase, startBenchApp } from './support.js';

const SIZES = (process.env.FANOUT_SIZES ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? (IN_SUITE ? 2 : 3));
const TICKS = Number(process.env.FANOUT_TICKS ?? (IN_SUITE ? 3 : 5));
/** A tick not delivered to every socket by then fails the run instead of hanging it. */
const TICK_TIMEOUT_MS = 30_000;
const DELIVERY_TARGET = 1.5;
const LAG_TARGET_MS = 20;
const QUERY = 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol price change changePercent volume timestamp } }';
const now = () => performance.timeOrigin + performance.now();
/**
 * FANOUT_WINDOWS=file: writes the graphql-ws ticks' publish → last delivery windows (µs, the clock of
 * --cpu-prof's timestamps) there, for bench/cpu-profile-summary.ts to keep only the samples inside them.
 */
const WINDOWS_FILE = process.env.FANOUT_WINDOWS;
const windows: [number, number][] = [];
const micros = () => Number(process.hrtime.bigint() / 1000n);

const stock = await createBenchDatabase('stock');
const user = await createBenchDatabase('user');
// One stock with one candle: subscribers get its quote as their first message, which tells the clients they are live.
await stock.sql.exec(`
  INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ');
  INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES ('AAPL', 'DAY', now(), 188, 191, 187, 190.5, 1000);`);
const { app, url } = await startBenchApp(stock, user, {
  WS_MAX_SOCKETS_PER_IP: '100000',
  // Thousands of subscribes in a burst on a shared machine: a busy pool must not fail the set-up.
  DB_ACQUIRE_TIMEOUT_MS: '30000',
  WS_CONNECTION_INIT_TIMEOUT_MS: '60000',
});
const graphqlUrl = url.replace('http', 'ws');

const raw = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => raw.once('listening', resolve));
const rawUrl = `ws://127.0.0.1:${(raw.address() as { port: number }).port}`;

const child: ChildProcess = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] });
function reply<T = any>(type: string, match: (m: any) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: any) => {
      if (m.type === type && match(m)) {
        child.off('message', listener);
        resolve(m);
      }
    };
    child.on('message', listener);
  });
}
function ask<T = any>(message: object, type: string): Promise<T> {
  const answer = reply<T>(type);
  child.send(message);
  return answer;
}

const update = (tick: number) => ({ symbol: 'AAPL', price: 190.5 + tick / 100, previousClose: 188, change: 2.5, changePercent: 1.3298, volume: tick, timestamp: new Date().toISOString() });

interface Tick { deliveryMs: number; lagMaxMs: number }

async function runTicks(publish: (tick: number) => Promise<void> | void, base: number, profile: boolean): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for (let i = 1; i <= TICKS; i += 1) {
    const tick = base + i;
    await ask({ type: 'expect', tick }, 'expecting');
    const lag = monitorEventLoopDelay({ resolution: 1 });
    const delivered = reply<{ at: number }>('delivered', (m) => m.tick === tick);
    lag.enable();
    // The histogram samples on its own timer: let it start before the loop may be blocked.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const startedMicros = micros();
    const started = now();
    await publish(tick);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TICK_TIMEOUT_MS)));
    const outcome = await Promise.race([delivered, timedOut]);
    clearTimeout(timer);
    lag.disable();
    if (profile) windows.push([startedMicros, micros()]);
    if (outcome === 'timeout') {
      const status = await ask<{ missing: number; live: number; lost: Record<string, number> }>({ type: 'status' }, 'status');
      throw new Error(`tick ${tick} reached ${status.live - status.missing} of ${status.live} sockets in ${TICK_TIMEOUT_MS} ms (lost: ${JSON.stringify(status.lost)})`);
    }
    ticks.push({ deliveryMs: outcome.at - started, lagMaxMs: lag.max / 1e6 });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ticks;
}

const rawBroadcast = (tick: number) => {
  const bytes = JSON.stringify({ id: '1', type: 'next', payload: { data: { priceUpdated: update(tick) } } });
  for (const client of raw.clients) client.send(bytes);
};

const rows: BenchRow[] = [];
const table: string[] = [];
let base = 0;
let stopping = false;
child.on('exit', (code) => {
  if (stopping) return;
  console.error(`the client process exited (${code}) mid-run`);
  process.exitCode = 1;
  void cleanUp().then(() => process.exit(1));
});

async function cleanUp(): Promise<void> {
  stopping = true;
  child.kill();
  await new Promise<void>((resolve) => raw.close(() => resolve()));
  await app.close();
  await Promise.all([stock.drop(), user.drop()]);
}

try {
  for (const size of SIZES) {
    const lags = { graphql: [] as number[], raw: [] as number[] };
    /** Share of the graphql-ws ticks' frames written straight to the sockets, per round. */
    const direct: number[] = [];
    const setupNotes: string[] = [];
    /** One round of one path: N sockets, TICKS ticks, sockets closed; the median delivery time. */
    const round = (mode: 'graphql' | 'raw') => async () => {
      const ready = await ask<{ count: number; failed: number; lost: Record<string, number> }>({ type: 'start', mode, url: mode === 'graphql' ? graphqlUrl : rawUrl, count: size, query: QUERY }, 'ready');
      if (ready.failed > 0) setupNotes.push(`${mode}: ${ready.failed} socket(s) failed during set-up and were replaced`);
      if (ready.count < size) throw new Error(`${mode}: only ${ready.count} of ${size} sockets became live (${ready.failed} failures; lost after live: ${JSON.stringify(ready.lost)})`);
      base += 1_000;
      const directBefore = app.websocketDirectFrames();
      const ticks = await runTicks(mode === 'graphql' ? (tick) => app.publishPrice(update(tick)) : rawBroadcast, base, mode === 'graphql');
      if (mode === 'graphql') direct.push((app.websocketDirectFrames() - directBefore) / (size * TICKS));
      await ask({ type: 'stop' }, 'stopped');
      lags[mode].push(medianSpread(ticks.map((t) => t.lagMaxMs)).median);
      return medianSpread(ticks.map((t) => t.deliveryMs)).median;
    };
    const times = await interleaved(ROUNDS, { graphql: round('graphql'), raw: round('raw') });
    const ours = medianSpread(times.graphql);
    const baseline = medianSpread(times.raw);
    const ratio = ratioSpread(times.graphql, times.raw);
    const lag = medianSpread(lags.graphql);
    const rawLag = medianSpread(lags.raw);
    const lagRatio = ratioSpread(lags.graphql, lags.raw);
    const n = size.toLocaleString('en');
    table.push(
      `| ${n} | ${ours.median.toFixed(1)} ms | ${baseline.median.toFixed(1)} ms | ${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)}) | ${lag.median.toFixed(1)} ms | ${rawLag.median.toFixed(1)} ms | ${(100 * medianSpread(direct).min).toFixed(1)} % |`,
    );
    rows.push({
      id: `fanout.${size}.delivery`,
      what: `one tick to ${n} graphql-ws subscribers, publish → last delivery`,
      value: `${ours.median.toFixed(1)} ms`,
      baseline: `raw ws broadcast ${baseline.median.toFixed(1)} ms`,
      ratio: ratio.median,
      spread: [ratio.min, ratio.max],
      target: `≤ ${DELIVERY_TARGET}x`,
      met: ratio.median <= DELIVERY_TARGET,
      note: [`at least ${(100 * medianSpread(direct).min).toFixed(1)} % of frames written directly`, ...setupNotes].join('; '),
    });
    rows.push({
      id: `fanout.${size}.lag`,
      what: `server event-loop lag (max) while one tick goes to ${n} subscribers`,
      value: `${lag.median.toFixed(1)} ms`,
      baseline: `raw ws broadcast ${rawLag.median.toFixed(1)} ms`,
      ratio: lagRatio.median,
      spread: [lagRatio.min, lagRatio.max],
      target: `≤ ${LAG_TARGET_MS} ms`,
      met: lag.median <= LAG_TARGET_MS,
    });
  }
} finally {
  if (WINDOWS_FILE) writeFileSync(WINDOWS_FILE, JSON.stringify(windows));
  await cleanUp();
}

console.log(`\n## Fan-out: one tick to N subscribers on loopback (${ROUNDS} interleaved rounds of ${TICKS} ticks; medians)\n`);
console.log('| subscribers | graphql-ws: publish → last delivery | raw ws broadcast | ratio (spread) | graphql-ws lag (max) | raw lag (max) | frames written directly (min) |');
console.log('|---|---|---|---|---|---|---|');
for (const line of table) console.log(line);

reportRows(rows);
