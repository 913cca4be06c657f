import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../src/cache/redis-cache.js';
import { loadConfig } from '../../src/config.js';
import { RedisJobLock } from '../../src/jobs/job-lock.js';
import { createLogger } from '../../src/log.js';
import { RedisTickStream } from '../../src/modules/market/tick-stream.js';
import { RateLimits } from '../../src/ratelimit/rate-limits.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { BullJobQueues } from '../../src/queues/bullmq-queues.js';
import { handlerMap } from '../../src/queues/job-queues.js';
import { QUEUE_NAMES, queuePrefixFor, type QueueName } from '../../src/queues/queue-names.js';
import type { RedisClient } from '../../src/redis.js';
import { connectTestCluster, deleteClusterKeys } from '../support/redis-cluster.js';
import { testRedisClusterNodes } from '../support/servers.js';

const nodes = testRedisClusterNodes();
const logger = createLogger('silent');
// Run-scoped: every key and channel of this file starts with it, and only those are deleted afterwards.
const prefix = `mgtest:${randomBytes(4).toString('hex')}:`;

const opened: RedisClient[] = [];
async function cluster(name: string, subscriber = false): Promise<Cluster> {
  const client = await connectTestCluster(nodes!, name, { subscriber });
  opened.push(client);
  return client;
}

const until = async (condition: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.skipIf(!nodes)('Redis on a 3-master Cluster (needs TEST_REDIS_CLUSTER_NODES: scripts/start-redis-cluster.sh)', () => {
  let admin: Cluster;
  beforeAll(async () => {
    admin = await cluster('test-cluster-admin');
  });
  afterAll(async () => {
    if (admin) await deleteClusterKeys(admin, prefix);
    for (const client of opened.splice(0)) client.disconnect();
  });

  it('runs on three masters that split the 16384 slots', async () => {
    const masters = admin.nodes('master');
    expect(masters).toHaveLength(3);
    const info = String(await admin.cluster('INFO'));
    expect(info).toMatch(/cluster_state:ok/);
    expect(info).toMatch(/cluster_slots_assigned:16384/);
  });

  it('delivers events between two buses with sharded pub/sub, each channel held by the master that owns its slot', async () => {
    const busPrefix = `${prefix}events:`;
    const publisher = new RedisEventBus(await cluster('test-bus-a'), await cluster('test-bus-a-sub', true), logger, busPrefix);
    const receiver = new RedisEventBus(await cluster('test-bus-b'), await cluster('test-bus-b-sub', true), logger, busPrefix);
    expect(publisher.sharded && receiver.sharded).toBe(true);
    // Hash tags fix each channel's slot whatever the run prefix: these twelve spread over all three masters.
    const topics = Array.from({ length: 12 }, (_, i) => `spread:{${i}}`);
    const received: [string, unknown][] = [];
    for (const topic of topics) await receiver.subscribe(topic, (event) => received.push([topic, event]));

    const holders = await Promise.all(admin.nodes('master').map(async (master) => (await master.call('PUBSUB', 'SHARDCHANNELS', `${busPrefix}*`)) as string[]));
    expect(holders.flat().sort()).toEqual(topics.map((topic) => busPrefix + topic).sort());
    expect(holders.filter((channels) => channels.length > 0)).toHaveLength(3);
    // Nothing on classic pub/sub, which a Cluster broadcasts to every node.
    for (const master of admin.nodes('master')) expect(await master.call('PUBSUB', 'CHANNELS', `${busPrefix}*`)).toEqual([]);

    for (const [i, topic] of topics.entries()) await publisher.publish(topic, { i });
    await until(() => received.length === topics.length);
    expect(received.sort(([a], [b]) => a.localeCompare(b))).toEqual(topics.map((topic, i) => [topic, { i }]).sort(([a], [b]) => String(a).localeCompare(String(b))));

    // Unsubscribed: the master drops the channel and later events reach no one.
    const stop = await receiver.subscribe('once', () => received.push(['once', 'late']));
    await stop();
    await publisher.publish('once', 1);
    await publisher.publish(topics[0]!, { i: 'last' });
    await until(() => received.length === topics.length + 1);
    expect(received.filter(([topic]) => topic === 'once')).toEqual([]);
    await Promise.all([publisher.close(), receiver.close()]);
  });

  it('lets exactly one of six processes take each job lock when they all try at once, round after round', async () => {
    const locks = await Promise.all(Array.from({ length: 6 }, async (_, i) => new RedisJobLock(await cluster(`test-lock-${i}`), `${prefix}lock:`)));
    for (let round = 0; round < 40; round += 1) {
      // Barrier: every contender has its call in flight before any reply can arrive.
      let open!: () => void;
      const barrier = new Promise<void>((resolve) => (open = resolve));
      const attempts = locks.map(async (lock) => {
        await barrier;
        return lock.tryAcquire(`job:round-${round % 8}`, 10_000);
      });
      open();
      const releases = (await Promise.all(attempts)).filter((release) => release !== null);
      expect(releases, `round ${round}`).toHaveLength(1);
      await releases[0]!();
    }
    // Released: the key is gone, so the next tick anywhere can take it.
    expect(await admin.exists(`${prefix}lock:job:round-0`)).toBe(0);
  });

  it('shares one request budget between two API processes', async () => {
    const config = loadConfig({ NODE_ENV: 'test', RATE_LIMITS: 'on', RATE_LIMIT_ANONYMOUS_PER_HOUR: '3', RATE_LIMIT_AVERAGE_COST: '1' });
    const [first, second] = await Promise.all(
      ['a', 'b'].map(async (name) => new RateLimits(config.rateLimits, { redis: await cluster(`test-rl-${name}`, false), keyPrefix: prefix })),
    );
    const visitor = { viewer: null, ip: '203.0.113.7' };
    const decisions = [await first!.consume(visitor, 1), await second!.consume(visitor, 1), await first!.consume(visitor, 1), await second!.consume(visitor, 1)];
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    // Another IP has its own budget.
    expect((await first!.consume({ viewer: null, ip: '203.0.113.8' }, 1)).remaining).toBe(2);
  });

  it('reads, writes and invalidates cache entries spread over the masters, many keys at once', async () => {
    const cache = new RedisCache(await cluster('test-cache'), logger, `${prefix}cache:`);
    const keys = Array.from({ length: 20 }, (_, i) => `quote:S${i}`);
    for (const [i, key] of keys.entries()) await cache.set(key, { price: `${i}.25` }, 60);
    // One MGET cannot cover these keys on a Cluster: what getMany must not send.
    await expect(admin.mget(keys.map((key) => `${prefix}cache:${key}`))).rejects.toThrow(/CROSSSLOT|same slot/);
    expect(await cache.getMany([...keys, 'quote:NONE'])).toEqual([...keys.map((_, i) => ({ price: `${i}.25` })), undefined]);
    expect(await cache.get('quote:S3')).toEqual({ price: '3.25' });
    await cache.delete('quote:S3');
    expect(await cache.get('quote:S3')).toBeUndefined();
    expect((await cache.getMany(['quote:S2', 'quote:S3', 'quote:S4'])).map((value) => value && (value as { price: string }).price)).toEqual(['2.25', undefined, '4.25']);
    expect(cache.breaker.state).toBe('closed');
  });

  it('appends ticks to the stream in batches and a consumer group reads them back', async () => {
    const key = `${prefix}ticks`;
    const redis = await cluster('test-ticks');
    await redis.xgroup('CREATE', key, 'outside', '$', 'MKSTREAM');
    const failures: unknown[] = [];
    const stream = new RedisTickStream(redis, key, 1_000, (error) => failures.push(error));
    const tick = (symbol: string, price: string, second: number) => ({ symbol, price, volume: 10 * second, timestamp: new Date(Date.UTC(2025, 2, 5, 14, 30, second)) });
    await stream.append([tick('AAPL', '190.00', 1), tick('MSFT', '401.10', 2)]);
    await stream.append([tick('NVDA', '120.0625', 3)]);
    expect(failures).toEqual([]);
    const reply = (await admin.xreadgroup('GROUP', 'outside', 'alice', 'COUNT', 10, 'STREAMS', key, '>')) as [string, [string, string[]][]][];
    expect(reply[0]![1].map(([, fields]) => fields)).toEqual([
      ['symbol', 'AAPL', 'price', '190.00', 'volume', '10', 'ts', '2025-03-05T14:30:01.000Z'],
      ['symbol', 'MSFT', 'price', '401.10', 'volume', '20', 'ts', '2025-03-05T14:30:02.000Z'],
      ['symbol', 'NVDA', 'price', '120.0625', 'volume', '30', 'ts', '2025-03-05T14:30:03.000Z'],
    ]);
    expect(await admin.xack(key, 'outside', ...reply[0]![1].map(([id]) => id))).toBe(3);
  });

  it('runs BullMQ jobs on the cluster with a hash-tagged queue prefix and a blocking connection from the factory', async () => {
    const connection = await connectTestCluster(nodes!, 'test-bullmq', { blocking: true });
    opened.push(connection);
    // The tag keeps every key of the queue in one slot: BullMQ's scripts touch several of them at once.
    const queuePrefix = `{${prefix}bull}`;
    const queue = new Queue('cluster-check', { connection, prefix: queuePrefix });
    const processed: unknown[] = [];
    const worker = new Worker('cluster-check', async (job) => void processed.push(job.data), { connection, prefix: queuePrefix });
    try {
      await queue.add('first', { n: 1 });
      await queue.add('second', { n: 2 });
      await until(() => processed.length === 2, 10_000);
      expect(processed).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
  it("runs the app's job queues on the cluster: a job failing once is retried, one failing always is listed as failed", async () => {
    const attempts = new Map<string, number>();
    const handler = {
      name: 'cluster-flaky',
      queue: 'default' as const,
      async run(data: { id: string; failTimes: number }) {
        const n = (attempts.get(data.id) ?? 0) + 1;
        attempts.set(data.id, n);
        if (n <= data.failTimes) throw new Error(`attempt ${n} of ${data.id} fails`);
      },
    };
    const concurrency = Object.fromEntries(QUEUE_NAMES.map((name) => [name, 2])) as Record<QueueName, number>;
    // The app's hash-tagged prefix ({…:queues}): BullMQ's scripts and pipelines touch several keys of a queue at once.
    const queues = new BullJobQueues(handlerMap([handler]), {
      redis: loadConfig({ REDIS_CLUSTER_NODES: nodes! }).redis!,
      prefix: queuePrefixFor(prefix),
      policy: { attempts: 3, backoffMs: 20, timeoutMs: 5_000, concurrency },
      logger,
    });
    try {
      queues.consume(['default']);
      await queues.add([
        { queue: 'default', name: 'cluster-flaky', data: { id: 'once', failTimes: 1 } },
        { queue: 'default', name: 'cluster-flaky', data: { id: 'always', failTimes: 99 } },
      ]);
      await until(() => attempts.get('once') === 2 && attempts.get('always') === 3, 15_000);
      let failed = await queues.failed('default');
      for (let i = 0; i < 100 && failed.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        failed = await queues.failed('default');
      }
      expect(failed.map(({ name, attempts: made, error }) => ({ name, made, error }))).toEqual([
        { name: 'cluster-flaky', made: 3, error: 'attempt 3 of always fails' },
      ]);
      expect((await queues.counts()).find((c) => c.name === 'default')).toMatchObject({ failed: 1, completed: 1 });
    } finally {
      await queues.close(1_000);
      await deleteClusterKeys(admin, queuePrefixFor(prefix));
    }
  });
});

