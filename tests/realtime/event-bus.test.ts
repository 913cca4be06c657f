import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/realtime/event-bus.js';
import { MemoryEventBus } from '../../src/realtime/memory-event-bus.js';
import { RedisEventBus } from '../../src/realtime/redis-event-bus.js';
import { connectRedis } from '../../src/redis.js';
import { createLogger } from '../../src/log.js';
import { testRedisUrl } from '../support/servers.js';

const logger = createLogger('silent');
const redisUrl = testRedisUrl();
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

function nextEvent(bus: EventBus, topic: string): Promise<unknown> {
  return new Promise((resolve) => void bus.subscribe(topic, resolve));
}

async function redisBus(prefix: string): Promise<EventBus> {
  const connections: Redis[] = [await connectRedis(redisUrl!, 'test-pub'), await connectRedis(redisUrl!, 'test-sub')];
  const bus = new RedisEventBus(connections[0]!, connections[1]!, logger, prefix);
  opened.push({ close: async () => (await bus.close(), connections[0]!.disconnect()) });
  return bus;
}

describe('MemoryEventBus', () => {
  it('delivers a parsed copy of each event to every subscriber of its topic only', async () => {
    const bus = new MemoryEventBus(logger);
    const received: unknown[] = [];
    await bus.subscribe('price:AAPL', (event) => received.push(['a', event]));
    await bus.subscribe('price:AAPL', (event) => received.push(['b', event]));
    await bus.subscribe('price:MSFT', (event) => received.push(['msft', event]));
    const payload = { price: 190.5 };
    await bus.publish('price:AAPL', payload);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(received).toEqual([['a', { price: 190.5 }], ['b', { price: 190.5 }]]);
    expect((received[0] as unknown[])[1]).not.toBe(payload);
    // One parsed, frozen object for every subscriber of the event.
    expect((received[0] as unknown[])[1]).toBe((received[1] as unknown[])[1]);
    expect(Object.isFrozen((received[0] as unknown[])[1])).toBe(true);
  });

  it('keeps delivering to the others when one subscriber throws, and stops after unsubscribe', async () => {
    const bus = new MemoryEventBus(logger);
    const received: unknown[] = [];
    await bus.subscribe('t', () => {
      throw new Error('boom');
    });
    const stop = await bus.subscribe('t', (event) => received.push(event));
    await bus.publish('t', 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await stop();
    await bus.publish('t', 2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(received).toEqual([1]);
  });
});

describe.skipIf(!redisUrl)('RedisEventBus (needs a real Redis: set TEST_REDIS_URL)', () => {
  it('carries an event published by one process to a subscriber in another', async () => {
    const prefix = `mgtest:${randomBytes(4).toString('hex')}:events:`;
    const [processA, processB] = [await redisBus(prefix), await redisBus(prefix)];
    const arriving = nextEvent(processB, 'price:AAPL');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await processA.publish('price:AAPL', { symbol: 'AAPL', price: 190.5 });
    expect(await arriving).toEqual({ symbol: 'AAPL', price: 190.5 });
  });

  it('keeps deployments with different key prefixes apart', async () => {
    const [a, b] = [await redisBus(`mgtest:${randomBytes(4).toString('hex')}:`), await redisBus(`mgtest:${randomBytes(4).toString('hex')}:`)];
    const received: unknown[] = [];
    await b.subscribe('t', (event) => received.push(event));
    await a.publish('t', 'not for b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
  });
});
