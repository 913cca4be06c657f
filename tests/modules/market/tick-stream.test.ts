import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { IngestService } from '../../../src/modules/market/ingest.service.js';
import { openTickStream, RedisTickStream, type TickStream } from '../../../src/modules/market/tick-stream.js';
import { Metrics } from '../../../src/observability/metrics.js';
import type { Tick } from '../../../src/providers/market-data-provider.js';
import { connectRedis } from '../../../src/redis.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { testDatabasePrefix } from '../../support/run-id.js';
import { testRedisUrl } from '../../support/servers.js';

const MARKET = readFileSync(new URL('./fixtures/market.sql', import.meta.url), 'utf8');
const redisUrl = testRedisUrl();
const tick = (symbol: string, at: string, price: string, volume: number): Tick => ({ symbol, price, volume, timestamp: new Date(at) });
const TICKS = [
  tick('AAPL', '2025-03-05T14:30:05Z', '190.00', 100),
  tick('MSFT', '2025-03-05T14:30:06Z', '401.10', 1000),
  tick('AAPL', '2025-03-05T14:30:20Z', '190.50', 200),
  tick('NVDA', '2025-03-05T14:30:21Z', '120.0625', 7),
];

type Entries = [stream: string, entries: [id: string, fields: string[]][]][] | null;
const asTicks = (reply: Entries) =>
  (reply?.[0]?.[1] ?? []).map(([, fields]) => Object.fromEntries(fields.reduce<[string, string][]>((pairs, value, i) => (i % 2 ? pairs : [...pairs, [value, fields[i + 1]!]]), [])));
const idsOf = (reply: Entries) => (reply?.[0]?.[1] ?? []).map(([id]) => id);

describe.skipIf(!redisUrl)('the Redis tick stream (needs TEST_REDIS_URL)', () => {
  let db: TestDatabase;
  let redis: Redis;
  const key = `${testDatabasePrefix()}ticks:${process.pid}`;
  beforeAll(async () => {
    db = await openTestDatabase('stock');
    await db.sql.exec(MARKET);
    redis = await connectRedis(redisUrl!, 'tick-stream-test');
  });
  afterAll(async () => {
    await redis?.del(key, `${key}:wrong`);
    redis?.disconnect();
    await db?.close();
  });

  it('appends every ingested tick, which a consumer group reads back exactly and shares between its consumers', async () => {
    await redis.xgroup('CREATE', key, 'outside', '$', 'MKSTREAM');
    const ingest = new IngestService(db.sql);
    ingest.attachTickStream(new RedisTickStream(redis, key, 1000, (error) => { throw error; }));
    await ingest.ingestTicks(TICKS.slice(0, 2));
    await ingest.ingestTicks(TICKS.slice(2));
    await ingest.tickStreamIdle();

    const first = (await redis.xreadgroup('GROUP', 'outside', 'alice', 'COUNT', 3, 'STREAMS', key, '>')) as Entries;
    expect(asTicks(first)).toEqual([
      { symbol: 'AAPL', price: '190.00', volume: '100', ts: '2025-03-05T14:30:05.000Z' },
      { symbol: 'MSFT', price: '401.10', volume: '1000', ts: '2025-03-05T14:30:06.000Z' },
      { symbol: 'AAPL', price: '190.50', volume: '200', ts: '2025-03-05T14:30:20.000Z' },
    ]);
    expect(await redis.xack(key, 'outside', ...idsOf(first))).toBe(3);

    const rest = (await redis.xreadgroup('GROUP', 'outside', 'bob', 'COUNT', 10, 'STREAMS', key, '>')) as Entries;
    expect(asTicks(rest)).toEqual([{ symbol: 'NVDA', price: '120.0625', volume: '7', ts: '2025-03-05T14:30:21.000Z' }]);
    // Alice acked hers; Bob's one entry is pending until he acks it.
    const pending = (await redis.xpending(key, 'outside')) as [number, string, string, [string, string][]];
    expect(pending[0]).toBe(1);
    expect(pending[3]).toEqual([['bob', '1']]);
  });

  it('keeps ingesting when the stream cannot be written, counting the failed batch in the metric', async () => {
    const wrong = `${key}:wrong`;
    await redis.set(wrong, 'not a stream');
    const metrics = new Metrics();
    const stream = await openTickStream(
      { mode: 'redis', redisKey: wrong, maxLen: 10, natsStream: 'unused', natsSubjectPrefix: 'unused' },
      { redis, logger: createLogger('silent'), errors: metrics.tickStreamErrors },
    );
    const ingest = new IngestService(db.sql);
    ingest.attachTickStream(stream);
    const updates = await ingest.ingestTicks([tick('XOM', '2025-03-05T15:00:00Z', '110.00', 5)]);
    await ingest.tickStreamIdle();
    expect(updates.map((u) => u.symbol)).toEqual(['XOM']);
    expect((await metrics.tickStreamErrors.get()).values[0]?.value).toBe(1);
    expect(await metrics.registry.metrics()).toContain('marketgraph_tick_stream_errors_total 1');
  });

  it('caps the stream near TICK_STREAM_MAXLEN with an approximate trim', async () => {
    const capped = `${key}:capped`;
    const stream = new RedisTickStream(redis, capped, 10, (error) => { throw error; });
    const many = Array.from({ length: 500 }, (_, i) => tick('AAPL', new Date(Date.UTC(2025, 2, 5, 15, 0, i % 60)).toISOString(), '1.00', i));
    for (let i = 0; i < 500; i += 100) await stream.append(many.slice(i, i + 100));
    const length = await redis.xlen(capped);
    await redis.del(capped);
    // MAXLEN ~ trims whole radix-tree nodes (100 entries by default): far below 500, never below the cap.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(500);
  });
});

describe('a tick stream that falls behind', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('stock');
    await db.sql.exec(MARKET);
  });
  afterAll(() => db?.close());

  it('never holds up ingestion: batches past the backlog limit are dropped and counted, the rest arrive in order', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const received: string[][] = [];
    const dropped: number[] = [];
    // A stream stuck on its first batch, as a server that stopped answering would be.
    const stuck: TickStream = {
      kind: 'redis',
      async append(ticks) {
        await gate;
        received.push(ticks.map((t) => t.price));
      },
      dropped: (ticks) => void dropped.push(ticks),
      close: async () => undefined,
    };
    const ingest = new IngestService(db.sql, { maxPendingAppends: 2 });
    ingest.attachTickStream(stuck);
    for (const price of ['1.00', '2.00', '3.00', '4.00']) {
      const updates = await ingest.ingestTicks([tick('NVDA', '2025-03-06T15:00:00Z', price, 1)]);
      expect(updates[0]!.price).toBe(Number(price));
    }
    expect(dropped).toEqual([1, 1]);
    open();
    await ingest.tickStreamIdle();
    expect(received).toEqual([['1.00'], ['2.00']]);
    // Room again: the next batch goes through.
    await ingest.ingestTicks([tick('NVDA', '2025-03-06T15:00:01Z', '5.00', 1)]);
    await ingest.tickStreamIdle();
    expect(received.at(-1)).toEqual(['5.00']);
  });
});
