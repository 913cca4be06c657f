// Reads the tick stream (TICK_STREAM=redis) as one consumer of a consumer group: every tick is handed to exactly one
// consumer of the group, and stays pending until acked, so a consumer that crashes gets its unacked ticks back.
//
//   npx tsx examples/tick-consumer/redis-consumer.ts [group] [consumer]
//   REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=mg: npx tsx examples/tick-consumer/redis-consumer.ts analytics worker-1
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const key = `${process.env.REDIS_KEY_PREFIX ?? 'mg:'}ticks`;
const group = process.argv[2] ?? 'tick-consumer';
const consumer = process.argv[3] ?? `consumer-${process.pid}`;
const once = process.env.ONCE === '1';

type Reply = [stream: string, entries: [id: string, fields: string[]][]][] | null;
const fieldsOf = (list: string[]) => Object.fromEntries(list.flatMap((value, i) => (i % 2 === 0 ? [[value, list[i + 1]]] : [])));

// '$': only ticks appended from now on; '0' would start from the oldest tick still kept.
await redis.xgroup('CREATE', key, group, '$', 'MKSTREAM').catch((error: Error) => {
  if (!error.message.includes('BUSYGROUP')) throw error;
});
let stopping = false;
process.once('SIGINT', () => (stopping = true));

// '0' reads back this consumer's own pending ticks (delivered before a crash, never acked), then new ones.
let cursor = '0';
while (!stopping) {
  const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', 5_000, 'STREAMS', key, cursor)) as Reply;
  const entries = reply?.[0]?.[1] ?? [];
  if (entries.length === 0) {
    if (cursor === '>' && once) break;
    cursor = '>';
  }
  for (const [id, fields] of entries) {
    const tick = fieldsOf(fields);
    console.log(`${tick.ts} ${tick.symbol} ${tick.price} x${tick.volume}`);
    await redis.xack(key, group, id);
  }
}
redis.disconnect();
