import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { announceStocksChanged } from '../../../src/modules/stock/stock-row-cache.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testTarget } from '../../support/databases.js';
import { testRedisUrl } from '../../support/servers.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const redisUrl = testRedisUrl();
const NAME = `{ stock(symbol: "AAPL") { symbol name } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET) });
});
afterAll(() => t?.close());

async function stockStatements(query: string) {
  t.app.stockDb.queries.reset();
  const result = await t.graphql(query);
  expect(result.errors).toBeUndefined();
  return { data: result.data as any, statements: t.app.stockDb.queries.count };
}

describe("the process's stock row cache", () => {
  it('reads a stock row once: the next query for it reaches no database', async () => {
    t.app.stockRows.invalidate();
    expect((await stockStatements(NAME)).statements).toBe(1);
    const again = await stockStatements(NAME);
    expect(again).toEqual({ data: { stock: { symbol: 'AAPL', name: 'Apple Inc.' } }, statements: 0 });
  });

  it('remembers a symbol that is not listed, so a flood of lookups for it costs one statement', async () => {
    t.app.stockRows.invalidate();
    expect((await stockStatements(`{ stock(symbol: "NOPE") { symbol } }`)).statements).toBe(1);
    expect(await stockStatements(`{ stock(symbol: "NOPE") { symbol } }`)).toEqual({ data: { stock: null }, statements: 0 });
  });

  it('serves a changed row as soon as the change is announced on the bus', async () => {
    await stockStatements(NAME);
    await t.stock.sql.query(`UPDATE stock SET name = 'Apple (renamed)' WHERE symbol = 'AAPL'`);
    // Unannounced (a write from psql), the cached row stands until its TTL.
    expect((await stockStatements(NAME)).data.stock.name).toBe('Apple Inc.');
    await announceStocksChanged(t.app.bus, ['AAPL']);
    expect((await stockStatements(NAME)).data.stock.name).toBe('Apple (renamed)');
    await t.stock.sql.query(`UPDATE stock SET name = 'Apple Inc.' WHERE symbol = 'AAPL'`);
    await announceStocksChanged(t.app.bus);
  });
});

describe.skipIf(!redisUrl)('two API processes on one Redis (needs a real Redis: set TEST_REDIS_URL)', () => {
  it('drop a row in both when one announces the change', async () => {
    const target = (db: typeof t.stock) => testTarget(db, 2);
    const config = loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SEED_ON_START: 'false', JOBS_ENABLED: 'false',
      REDIS_URL: t.app.config.redisUrl!, REDIS_KEY_PREFIX: t.app.config.redisKeyPrefix,
    });
    const other = await createApp(config, { logger: createLogger('silent'), stockTarget: target(t.stock), userTarget: target(t.user) });
    try {
      await stockStatements(NAME);
      expect(t.app.stockRows.size).toBeGreaterThan(0);
      await t.stock.sql.query(`UPDATE stock SET name = 'Apple (elsewhere)' WHERE symbol = 'AAPL'`);
      await announceStocksChanged(other.bus, ['AAPL']);
      await expect.poll(async () => (await stockStatements(NAME)).data.stock.name, { timeout: 5_000 }).toBe('Apple (elsewhere)');
    } finally {
      await t.stock.sql.query(`UPDATE stock SET name = 'Apple Inc.' WHERE symbol = 'AAPL'`);
      await announceStocksChanged(t.app.bus);
      await other.close();
    }
  });
});
