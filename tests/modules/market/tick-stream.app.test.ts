import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testRedisUrl } from '../../support/servers.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const redisUrl = testRedisUrl();

describe.skipIf(!redisUrl)('the quotes job and the tick stream (needs TEST_REDIS_URL)', () => {
  let t: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    if (t) await redis?.del(`${t.app.config.redisKeyPrefix}ticks`);
    redis?.disconnect();
    await t?.close();
  });

  it('appends every tick of a quotes run to ${REDIS_KEY_PREFIX}ticks by default when Redis is configured', async () => {
    const key = `${t.app.config.redisKeyPrefix}ticks`;
    expect(t.app.config.tickStream.mode).toBe('redis');
    const quotes = t.app.jobs.find((job) => job.name === 'quotes')!;
    expect(await t.app.scheduler.tick(quotes)).toBe('ran');
    // Appending is not awaited by the job: wait for the entries to land.
    let entries: [string, string[]][] = [];
    for (let attempt = 0; attempt < 50 && entries.length === 0; attempt += 1) {
      entries = await redis.xrange(key, '-', '+');
      if (entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const symbols = entries.map(([, fields]) => fields[1]).sort();
    // One tick per priced symbol in a run (the simulated walk starts from the latest close): exactly the symbols that got a minute candle.
    const stored = await t.stock.sql.query<{ symbol: string }>(`SELECT DISTINCT symbol FROM stock_price WHERE interval = 'MINUTE' ORDER BY symbol`);
    expect(symbols).toEqual(stored.map((row) => row.symbol));
    expect(symbols.length).toBeGreaterThan(0);
    for (const [, fields] of entries) expect(fields[2]).toBe('price');
  });
});
