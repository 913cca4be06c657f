// Benchmark: one price tick fanned out to 1k and 10k graphql-ws subscribers on
// loopback, against a raw `ws` broadcast of the same bytes to the same number of
// sockets, in the same run. Clients live in a child process.
//   npm run bench:fanout        (FANOUT_SIZES=1000,10000 FANOUT_TICKS=5)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const SIZES = (process.env.FANOUT_SIZES ?? '1000,10000').split(',').map(Number);
const TICKS = Number(process.env.FANOUT_TICKS ?? 5);
const QUERY = 'subscription { priceUpdated(symbols: ["AAPL"]) { symbol price change changePercent volume timestamp } }';
const now = () => performance.timeOrigin + performance.now();

const dataDir = mkdtempSync(join(tmpdir(), 'mg-fanout-'));
const app = await createApp(loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', DATA_DIR: dataDir }));
// One stock with one candle: subscribers get its quote as their first message, which tells the clients they are live.
await app.stockDb.sql.exec(`
  INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ');
  INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, volume) VALUES ('AAPL', 'DAY', now(), 188, 191, 187, 190.5, 1000);`);
const graphqlUrl = (await app.listen()).replace('http', 'ws');

const raw = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => raw.once('listening', resolve));
const rawUrl = `ws://127.0.0.1:${(raw.address() as { port: number }).port}`;

const child: ChildProcess = fork(new URL('./fanout-clients.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] });
function ask<T = any>(message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: any) => {
      if (m.type === reply) {
        child.off('message', listener);
        resolve(m);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

const update = (tick: number) => ({ symbol: 'AAPL', price: 190.5 + tick / 100, previousClose: 188, change: 2.5, changePercent: 1.3298, volume: tick, timestamp: new Date().toISOString() });

interface Run { deliveryMs: number; lagMaxMs: number; lagP99Ms: number }

async function runTicks(publish: (tick: number) => Promise<void> | void, base: number): Promise<Run[]> {
  const runs: Run[] = [];
  for (let i = 1; i <= TICKS; i += 1) {
    const tick = base + i;
    await ask({ type: 'expect', tick }, 'expecting');
    const lag = monitorEventLoopDelay({ resolution: 1 });
    const delivered = new Promise<any>((resolve) => {
      const listener = (m: any) => m.type === 'delivered' && m.tick === tick && (child.off('message', listener), resolve(m));
      child.on('message', listener);
    });
    lag.enable();
    // The histogram samples on its own timer: let it start before the loop may be blocked.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = now();
    await publish(tick);
    const { at } = await delivered;
    lag.disable();
    runs.push({ deliveryMs: at - started, lagMaxMs: lag.max / 1e6, lagP99Ms: lag.percentile(99) / 1e6 });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return runs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];

for (const size of SIZES) {
  await ask({ type: 'start', mode: 'graphql', url: graphqlUrl, count: size, query: QUERY }, 'ready');
  const rssBefore = process.memoryUsage().rss;
  const graphql = await runTicks((tick) => app.publishPrice(update(tick)), size * 10);
  await ask({ type: 'stop' }, 'stopped');

  await ask({ type: 'start', mode: 'raw', url: rawUrl, count: size, query: QUERY }, 'ready');
  const baseline = await runTicks((tick) => {
    const bytes = JSON.stringify({ id: '1', type: 'next', payload: { data: { priceUpdated: update(tick) } } });
    for (const client of raw.clients) client.send(bytes);
  }, size * 20);
  await ask({ type: 'stop' }, 'stopped');

  const g = { ms: median(graphql.map((r) => r.deliveryMs)), lag: median(graphql.map((r) => r.lagMaxMs)) };
  const r = { ms: median(baseline.map((x) => x.deliveryMs)), lag: median(baseline.map((x) => x.lagMaxMs)) };
  rows.push(`| ${size.toLocaleString('en')} | graphql-ws (bus → shared execution → send) | ${g.ms.toFixed(1)} ms | ${Math.round(size / (g.ms / 1000)).toLocaleString('en')} | ${g.lag.toFixed(1)} ms |`);
  rows.push(`| ${size.toLocaleString('en')} | raw ws broadcast, one loop | ${r.ms.toFixed(1)} ms | ${Math.round(size / (r.ms / 1000)).toLocaleString('en')} | ${r.lag.toFixed(1)} ms |`);
  rows.push(`| ${size.toLocaleString('en')} | ratio graphql-ws / raw | ${(g.ms / r.ms).toFixed(2)}x | | ${(g.lag / Math.max(r.lag, 0.001)).toFixed(2)}x |`);
  void rssBefore;
}

console.log(`\n## Fan-out: one tick to N subscribers on loopback (median of ${TICKS} ticks)\n`);
console.log('| subscribers | path | publish → last delivery | messages/s | event-loop lag (max) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);

child.kill();
raw.close();
await app.close();
rmSync(dataDir, { recursive: true, force: true });
