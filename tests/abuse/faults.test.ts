import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RedisCache } from '../../src/cache/redis-cache.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { signUp, type SignedUpUser } from '../support/accounts.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testServerUrl } from '../support/databases.js';
import { canStartServers, startPostgresCluster, startRedisServer, type PostgresCluster, type RedisServer } from '../support/fault-servers.js';
import { requireServer } from '../support/servers.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const onRealPostgres = testServerUrl('stock') !== undefined;
requireServer('postgres', onRealPostgres);
if (!onRealPostgres) console.warn('faults.test.ts: skipped, needs real PostgreSQL (TEST_STOCK_DATABASE_URL); PGlite cannot freeze or stop');
else if (!canStartServers) console.warn('faults.test.ts: skipped, needs /usr/lib/postgresql/15/bin/initdb and redis-server to start its own servers');
const enabled = onRealPostgres && canStartServers;

const FAST = { DB_ACQUIRE_TIMEOUT_MS: '800', DB_STATEMENT_TIMEOUT_MS: '1000', REDIS_COMMAND_TIMEOUT_MS: '200', REDIS_BREAKER_OPEN_MS: '300' };
const STOCK_AND_INTEREST = `{ stock(symbol: "AAPL") { name myInterest { id } } }`;

async function readyz(t: TestApp) {
  const response = await fetch(t.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: (await response.json()) as { down: string[] } };
}

describe.skipIf(!enabled)('a user database that is frozen, out of connections or stopped', () => {
  let cluster: PostgresCluster;
  let t: TestApp;
  let user: SignedUpUser;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE faults_user');
    await admin.end();
    t = await startTestApp({
      prepareStock: (db) => db.sql.exec(MARKET),
      userTarget: { url: cluster.url('faults_user'), poolMax: 2 },
      env: FAST,
    });
    user = await signUp(t, 'faults');
  }, 60_000);
  afterAll(async () => {
    cluster?.thaw();
    await t?.close();
    await cluster?.destroy();
  });

  it('answers SERVICE_UNAVAILABLE naming the user database when it is frozen, and still answers the stock fields', async () => {
    cluster.freeze();
    try {
      const result = await t.graphql(STOCK_AND_INTEREST, {}, user.headers);
      expect(result.data?.stock?.name).toBe('Apple Inc.');
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(result.errors![0]!.message).toBe('The user database is unavailable; try again shortly');
      expect(result.errors![0]!.path).toEqual(['stock', 'myInterest']);
      const me = await t.graphql(`{ me { email } }`, {}, user.headers);
      expect(me.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      cluster.thaw();
    }
    // Thawed, the same pool serves again.
    await expect.poll(async () => (await t.graphql(`{ me { email } }`, {}, user.headers)).data?.me?.email, { timeout: 10_000 }).toBe(user.email);
  }, 20_000);

  it('answers SERVICE_UNAVAILABLE when every pooled connection is held', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    const holders = [1, 2].map(() =>
      t.app.userDb.sql.transaction(async (tx) => {
        await tx.query('SELECT 1');
        holding += 1;
        await held;
      }),
    );
    await expect.poll(() => holding).toBe(2);
    try {
      const result = await t.graphql(`{ me { email } }`, {}, user.headers);
      expect(result.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(result.errors?.[0]?.message).toContain('user database');
    } finally {
      release();
      await Promise.all(holders);
    }
    expect((await t.graphql(`{ me { email } }`, {}, user.headers)).data?.me?.email).toBe(user.email);
  }, 20_000);

  it('answers SERVICE_UNAVAILABLE naming the user database once it is stopped, and /readyz names it', async () => {
    await cluster.stop();
    const result = await t.graphql(STOCK_AND_INTEREST, {}, user.headers);
    expect(result.data?.stock?.name).toBe('Apple Inc.');
    expect(result.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['SERVICE_UNAVAILABLE', 'The user database is unavailable; try again shortly'],
    ]);
    const ready = await readyz(t);
    expect(ready.status).toBe(503);
    expect(ready.body.down).toEqual(['userDb']);
    const live = await fetch(t.url.replace('/graphql', '/livez'));
    expect(live.status).toBe(200);
  }, 20_000);
});

describe.skipIf(!enabled)('a Redis that goes away and comes back', () => {
  let redis: RedisServer;
  let t: TestApp;
  let ws: Client;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), redisUrl: redis.url, env: FAST });
    ws = createClient({ url: t.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  }, 60_000);
  afterAll(async () => {
    await ws?.dispose();
    await t?.close();
    await redis?.stop();
  });

  it('keeps answering without waiting on Redis, says so in /readyz, and recovers: breaker closed, bus resubscribed, fresh value then new ticks', async () => {
    const cache = t.app.cache as RedisCache;
    const bus = t.app.bus as RedisEventBus;
    const QUOTE = `{ stock(symbol: "AAPL") { quote { price } } }`;
    expect((await readyz(t)).status).toBe(200);
    await t.app.publishPrice({ symbol: 'AAPL', price: 101, previousClose: 100, change: 1, changePercent: 1, volume: 10, timestamp: new Date() });

    const received: number[] = [];
    ws.subscribe(
      { query: `subscription { priceUpdated(symbols: ["AAPL"]) { price } }` },
      { next: (value: any) => void received.push(value.data.priceUpdated.price), error: () => undefined, complete: () => undefined },
    );
    await expect.poll(() => received).toEqual([101]);

    await redis.stop();
    await expect.poll(() => bus.isConnected).toBe(false);
    const attemptsBefore = cache.breaker.attempts;
    for (let i = 0; i < 20; i++) {
      const result = await t.graphql(QUOTE);
      expect(result.errors).toBeUndefined();
      expect(result.data?.stock?.quote).not.toBeUndefined();
    }
    // The breaker opened after a few failures: 20 queries did not each try Redis.
    expect(cache.breaker.attempts - attemptsBefore).toBeLessThan(10);
    const ready = await readyz(t);
    expect(ready.status).toBe(503);
    expect(ready.body.down).toEqual(expect.arrayContaining(['redis', 'eventBus']));

    // While Redis was away a tick reached the database only (cache and bus writes were skipped).
    await t.stock.sql.query(
      `INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume, source)
       VALUES ('AAPL', 'DAY', now() + interval '1 day', 150, 150, 150, 150, 150, 1, 'test')`,
    );
    const beforeRecovery = received.length;
    await redis.start();
    await expect.poll(() => bus.isConnected, { timeout: 10_000 }).toBe(true);
    // The resync: the fresh current value (from the database, the restarted Redis is empty) without any new tick.
    await expect.poll(() => received.slice(beforeRecovery), { timeout: 10_000 }).toEqual([150]);
    await expect.poll(async () => (await t.graphql(QUOTE), cache.breaker.state), { timeout: 10_000 }).toBe('closed');
    expect(bus.reconnects).toBe(1);
    expect((await readyz(t)).status).toBe(200);
    // A tick published after recovery arrives too.
    await t.app.publishPrice({ symbol: 'AAPL', price: 102, previousClose: 100, change: 2, changePercent: 2, volume: 11, timestamp: new Date() });
    await expect.poll(() => received.at(-1), { timeout: 10_000 }).toBe(102);
  }, 60_000);
});
