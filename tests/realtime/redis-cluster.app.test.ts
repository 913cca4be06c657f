import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { connectTestCluster, deleteClusterKeys } from '../support/redis-cluster.js';
import { testRedisClusterNodes } from '../support/servers.js';

const MARKET = readFileSync(new URL('../modules/stock/fixtures/market.sql', import.meta.url), 'utf8');
const PRICES = `subscription($symbols: [String!]!) { priceUpdated(symbols: $symbols) { symbol price } }`;
const nodes = testRedisClusterNodes();

const until = async (condition: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.skipIf(!nodes)('two API processes on a Redis Cluster (needs TEST_REDIS_CLUSTER_NODES: scripts/start-redis-cluster.sh)', () => {
  const apps: TestApp[] = [];
  const clients: Client[] = [];
  const prefix = `mgtest:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    // One deployment: both processes share the key prefix. REDIS_URL '' counts as unset (only one topology may be given).
    const env = { REDIS_URL: '', REDIS_CLUSTER_NODES: nodes!, REDIS_KEY_PREFIX: prefix };
    for (let i = 0; i < 2; i += 1) apps.push(await startTestApp({ prepareStock: (db) => db.sql.exec(MARKET), env }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    for (const app of apps.splice(0)) await app.close();
    const admin = await connectTestCluster(nodes!, 'test-cluster-cleanup');
    await deleteClusterKeys(admin, prefix);
    admin.disconnect();
  });

  it('starts on the cluster: ready, on a sharded bus, and answers a query', async () => {
    const [first] = apps;
    expect(first!.app.config.redis?.kind).toBe('cluster');
    expect(first!.app.bus).toBeInstanceOf(RedisEventBus);
    expect((first!.app.bus as RedisEventBus).sharded).toBe(true);
    const ready = await fetch(new URL('/readyz', first!.url));
    expect(ready.status).toBe(200);
    const data = await first!.data(`{ stock(symbol: "AAPL") { symbol quote { price } } }`);
    expect(data.stock).toEqual({ symbol: 'AAPL', quote: { price: 190.5 } });
  });

  it('pushes a price published by one process to a subscriber of the other, and serves it from the shared quote cache', async () => {
    const [publisher, receiver] = apps;
    const client = createClient({ url: receiver!.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    const prices: unknown[] = [];
    const failed: unknown[] = [];
    client.subscribe({ query: PRICES, variables: { symbols: ['MSFT'] } }, { next: (result) => prices.push(result.data?.priceUpdated), error: (error) => failed.push(error), complete: () => undefined });
    // The current quote first, then the tick from the other process.
    await until(() => prices.length === 1);
    expect(prices).toEqual([{ symbol: 'MSFT', price: 396 }]);
    await publisher!.app.publishPrice({ symbol: 'MSFT', price: 397.25, previousClose: 404, change: -6.75, changePercent: -1.6708, volume: 26000000, timestamp: '2025-03-06T15:00:00.000Z' });
    await until(() => prices.length === 2);
    expect(failed).toEqual([]);
    expect(prices).toEqual([{ symbol: 'MSFT', price: 396 }, { symbol: 'MSFT', price: 397.25 }]);
    const data = await receiver!.data(`{ stock(symbol: "MSFT") { quote { price } } }`);
    expect(data.stock.quote.price).toBe(397.25);
  });
});
