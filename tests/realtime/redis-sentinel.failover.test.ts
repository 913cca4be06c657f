import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { connectRedis, type RedisClient } from '../../src/redis.js';
import { testRedisSentinels } from '../support/servers.js';

const run = promisify(execFile);
// A master, its replica and a sentinel of this file's own (it fails the master over), on ports no other test uses.
const MASTER = 7121;
const REPLICA = 7122;
const SENTINEL = 7126;
const NAME = 'mg-failover';
const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]).then(({ stdout }) => stdout.trim());

const until = async (condition: () => Promise<boolean> | boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe.skipIf(!testRedisSentinels())('Redis through Sentinel across a failover (needs TEST_REDIS_SENTINELS: redis-server on this machine)', () => {
  let dir: string;
  const opened: RedisClient[] = [];
  beforeAll(async () => {
    // Whatever an interrupted earlier run left on these ports goes first: the test needs a fresh master and replica.
    for (const port of [SENTINEL, REPLICA, MASTER]) await cli(port, 'shutdown', 'nosave').catch(() => undefined);
    dir = await mkdtemp(join(tmpdir(), 'mg-sentinel-'));
    const common = ['--bind', '127.0.0.1', '--daemonize', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir];
    await run('redis-server', ['--port', String(MASTER), ...common, '--logfile', join(dir, 'master.log')]);
    await run('redis-server', ['--port', String(REPLICA), ...common, '--logfile', join(dir, 'replica.log'), '--replicaof', '127.0.0.1', String(MASTER)]);
    const config = join(dir, 'sentinel.conf');
    await writeFile(config, `port ${SENTINEL}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${NAME} 127.0.0.1 ${MASTER} 1\nsentinel down-after-milliseconds ${NAME} 2000\nsentinel failover-timeout ${NAME} 10000\n`);
    await run('redis-server', [config, '--sentinel', '--daemonize', 'yes', '--logfile', join(dir, 'sentinel.log')]);
    await until(async () => (await cli(REPLICA, 'info', 'replication').catch(() => '')).includes('master_link_status:up'));
    await until(async () => (await cli(SENTINEL, 'sentinel', 'replicas', NAME).catch(() => '')).includes(String(REPLICA)));
  });
  afterAll(async () => {
    for (const client of opened) client.disconnect();
    for (const port of [SENTINEL, REPLICA, MASTER]) await cli(port, 'shutdown', 'nosave').catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('follows the master to the promoted replica: commands and the event bus work again on it', async () => {
    const topology = loadConfig({ REDIS_SENTINELS: `127.0.0.1:${SENTINEL}`, REDIS_SENTINEL_NAME: NAME }).redis!;
    const redis = await connectRedis(topology, 'failover-test');
    const subscriber = await connectRedis(topology, 'failover-test-sub', { subscriber: true });
    opened.push(redis, subscriber);
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:`;
    const bus = new RedisEventBus(redis, subscriber, createLogger('silent'), `${prefix}events:`);
    const received: unknown[] = [];
    await bus.subscribe('t', (event) => received.push(event));
    await bus.publish('t', { before: true });
    await until(() => received.length === 1);
    expect(received).toEqual([{ before: true }]);
    await redis.set(`${prefix}k`, 'written before', 'EX', 60);

    await cli(SENTINEL, 'sentinel', 'failover', NAME);
    await until(async () => (await cli(SENTINEL, 'sentinel', 'get-master-addr-by-name', NAME)).includes(String(REPLICA)));
    expect(await cli(SENTINEL, 'sentinel', 'get-master-addr-by-name', NAME)).toContain(String(REPLICA));

    // Commands fail fast while the client reconnects; then they reach the new master (the old one's writes are its replica's).
    const servedBy = () => redis.call('CONFIG', 'GET', 'port').then((reply) => Number((reply as string[])[1]), () => 0);
    await until(async () => (await servedBy()) === REPLICA);
    expect(await servedBy()).toBe(REPLICA);
    await redis.set(`${prefix}k2`, 'written after');
    const after = await redis.get(`${prefix}k`);
    expect(after).toBe('written before');
    expect(await cli(REPLICA, 'get', `${prefix}k2`)).toBe('written after');
    await until(() => bus.isConnected);
    let delivered = false;
    await until(async () => {
      await bus.publish('t', { after: true }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      delivered = received.some((event) => JSON.stringify(event) === '{"after":true}');
      return delivered;
    });
    expect(delivered).toBe(true);
    await bus.close();
  });
});
