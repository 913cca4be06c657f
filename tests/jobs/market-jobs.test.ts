import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Job } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { priceTopic } from '../../src/realtime/topics.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testTarget } from '../support/databases.js';
import { testRedisUrl } from '../support/servers.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const redisUrl = testRedisUrl();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

const jobNamed = (app: App, name: string): Job => app.jobs.find((job) => job.name === name)!;

describe('the quotes job', () => {
  it('ingests one tick per stock with a close, stores the candles, caches the quote and publishes it', async () => {
    const received: any[] = [];
    const stop = await t.app.bus.subscribe(priceTopic('AAPL'), (event) => received.push(event));
    expect(await t.app.scheduler.tick(jobNamed(t.app, 'quotes'))).toBe('ran');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stop();
    expect(received).toHaveLength(1);
    const tick = received[0];
    expect(tick.symbol).toBe('AAPL');
    // The simulated walk continues from the last stored close (190.50).
    expect(Math.abs(tick.price - 190.5) / 190.5).toBeLessThan(0.05);
    const { data } = await t.graphql(`{ stock(symbol: "AAPL") { quote { price timestamp } minute: candles(interval: MINUTE, last: 1) { close } } }`);
    expect(data!.stock.quote.price).toBe(tick.price);
    expect(data!.stock.minute[0].close).toBe(tick.price);
  });
});

describe('the indicators job', () => {
  it('recomputes, stores and caches the latest indicators of every stock', async () => {
    expect(await t.app.scheduler.tick(jobNamed(t.app, 'indicators'))).toBe('ran');
    const [{ n }] = await t.stock.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM technical_indicator WHERE symbol = 'AAPL'`);
    expect(n).toBeGreaterThan(0);
    t.app.stockDb.queries.reset();
    const { data } = await t.graphql(`{ stock(symbol: "AAPL") { indicators { timestamp obv } } }`);
    expect(data!.stock.indicators.obv).not.toBeNull();
    // Nothing: the stock row is in the process's row cache (the job read it), the indicators in the cache.
    expect(t.app.stockDb.queries.count).toBe(0);
  });
});

describe.skipIf(!redisUrl)('two API processes on one Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
  it('deliver a tick ingested by one to a websocket subscriber of the other', async () => {
    const target = (db: typeof t.stock) => testTarget(db, 2);
    const config = loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false',
      REDIS_URL: t.app.config.redisUrl!, REDIS_KEY_PREFIX: t.app.config.redisKeyPrefix,
    });
    const other = await createApp(config, { logger: createLogger('silent'), stockTarget: target(t.stock), userTarget: target(t.user) });
    try {
      const url = (await other.listen()).replace('http', 'ws');
      const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
      const ticks: any[] = [];
      const arrived = new Promise<void>((resolve, reject) => {
        client.subscribe({ query: `subscription { priceUpdated(symbols: ["MSFT"]) { symbol price volume } }` }, {
          next: (value) => {
            ticks.push(value.data!.priceUpdated);
            if (ticks.length === 2) resolve();
          },
          error: reject,
          complete: () => undefined,
        });
      });
      while (ticks.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await t.app.scheduler.tick(jobNamed(t.app, 'quotes'))).toBe('ran');
      await arrived;
      expect(ticks[1].symbol).toBe('MSFT');
      expect(ticks[1].price).not.toBe(ticks[0].price);
      await client.dispose();
    } finally {
      await other.close();
    }
  });
});
