import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { connectTestCluster } from '../support/redis-cluster.js';
import { testRedisClusterNodes } from '../support/servers.js';

const run = promisify(execFile);
const script = new URL('../../scripts/start-redis-cluster.sh', import.meta.url).pathname;
// A cluster of this file's own (it restarts one of its masters), on ports no other test uses.
const ports = [7111, 7112, 7113];
const env = { ...process.env, CLUSTER_PORTS: ports.join(' '), CLUSTER_DIR: '/tmp/marketgraph-redis-cluster-restart', SENTINEL_PORT: '' };
const nodes = ports.map((port) => `127.0.0.1:${port}`).join(',');

const until = async (condition: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe.skipIf(!testRedisClusterNodes())('the event bus when a Cluster master restarts (needs TEST_REDIS_CLUSTER_NODES: redis-server on this machine)', () => {
  const opened: Cluster[] = [];
  beforeAll(async () => {
    // Whatever an interrupted earlier run left on these ports goes first: the test needs a fresh cluster.
    await run(script, ['stop'], { env });
    await run(script, [], { env });
  });
  afterAll(async () => {
    for (const client of opened) client.disconnect();
    await run(script, ['stop'], { env });
  });

  it('re-subscribes that master’s channels, resyncs subscribers and delivers again', async () => {
    const connect = async (name: string, subscriber = false) => {
      const client = await connectTestCluster(nodes, name, { subscriber });
      opened.push(client);
      return client;
    };
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:events:`;
    const publisher = new RedisEventBus(await connect('restart-pub'), await connect('restart-pub-sub', true), createLogger('silent'), prefix);
    const receiver = new RedisEventBus(await connect('restart-recv'), await connect('restart-recv-sub', true), createLogger('silent'), prefix);
    receiver.onResync(async (topic) => ({ resynced: topic }));
    const received: unknown[] = [];
    await receiver.subscribe('restart:{0}', (event) => received.push(event));
    await publisher.publish('restart:{0}', { n: 1 });
    await until(() => received.length === 1);
    expect(received).toEqual([{ n: 1 }]);

    const admin = await connect('restart-admin');
    const owners = await Promise.all(
      admin.nodes('master').map(async (master) => ({ port: master.options.port!, channels: (await master.call('PUBSUB', 'SHARDCHANNELS', `${prefix}*`)) as string[] })),
    );
    const owner = owners.find(({ channels }) => channels.length > 0)!;
    await run('redis-cli', ['-h', '127.0.0.1', '-p', String(owner.port), 'shutdown', 'nosave']).catch(() => undefined);
    await until(() => receiver.reconnects === 0 && !receiver.isConnected, 2_000);
    // Started again with its cluster config: same id, same slots.
    await run(script, [], { env });
    // ioredis may rebuild the subscriber group more than once while the master comes back: each time is a reconnect.
    await until(() => receiver.reconnects >= 1 && received.length >= 2);
    expect(receiver.reconnects).toBeGreaterThanOrEqual(1);
    expect(received.slice(1)).toContainEqual({ resynced: 'restart:{0}' });

    // The restarted master holds the channel again, and events flow.
    const before = received.length;
    for (let attempt = 0; attempt < 50 && !received.slice(before).some((event) => JSON.stringify(event) === '{"n":2}'); attempt += 1) {
      await publisher.publish('restart:{0}', { n: 2 }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(received.slice(before)).toContainEqual({ n: 2 });
    expect(receiver.isConnected).toBe(true);
    await Promise.all([publisher.close(), receiver.close()]);
  });
});
