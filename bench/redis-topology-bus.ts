// Events per second through the app's event bus (RedisEventBus: publish, Redis, subscriber, parse, deliver) on one
// Redis node and on a Redis Cluster (sharded pub/sub), same process, same payloads. Needs both servers:
//   REDIS_URL=redis://127.0.0.1:6379 REDIS_CLUSTER_NODES=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103 npx tsx bench/redis-topology-bus.ts
import { randomBytes } from 'node:crypto';
import { loadConfig, type RedisTopology } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { RedisEventBus } from '../src/realtime/redis-event-bus.js';
import { connectRedis } from '../src/redis.js';

const EVENTS = Number(process.env.EVENTS ?? 20_000);
const TOPICS = 200;
const IN_FLIGHT = 500;

async function measure(topology: RedisTopology): Promise<number> {
  const prefix = `mgbench:${randomBytes(4).toString('hex')}:events:`;
  const logger = createLogger('silent');
  const bus = new RedisEventBus(await connectRedis(topology, 'bench-pub'), await connectRedis(topology, 'bench-sub', { subscriber: true }), logger, prefix);
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  for (let t = 0; t < TOPICS; t += 1) await bus.subscribe(`price:S${t}`, () => void (++received === EVENTS && done()));
  const payload = { symbol: 'S0', price: '190.25', previousClose: '188.00', change: '2.25', changePercent: '1.1968', volume: 61000000, timestamp: new Date().toISOString() };
  const started = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i += IN_FLIGHT) {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, EVENTS - i) }, (_, j) => bus.publish(`price:S${(i + j) % TOPICS}`, payload)));
  }
  await all;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await bus.close();
  return EVENTS / seconds;
}

const single = loadConfig({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).redis!;
const cluster = loadConfig({ REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103' }).redis!;
for (const [name, topology] of [['one node', single], ['cluster (sharded)', cluster], ['one node', single], ['cluster (sharded)', cluster]] as const) {
  console.log(`${name.padEnd(18)} ${Math.round(await measure(topology)).toLocaleString('en')} events/s (${EVENTS} events over ${TOPICS} topics)`);
}
process.exit(0);
