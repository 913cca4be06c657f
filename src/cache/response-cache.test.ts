import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { MemoryEventBus } from '../realtime/memory-event-bus.js';
import { ResponseCache, type ResponseCacheSlot } from './response-cache.js';

const topics = { perSymbol: [(symbol: string) => `price:${symbol}`], global: ['stocks:changed'] };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function storable(cache: ResponseCache, key: string, symbols: string[] = []): ResponseCacheSlot {
  const slot = cache.open(key);
  symbols.forEach((symbol) => slot.symbols.add(symbol));
  slot.storable = { maxAgeSeconds: 60, cost: { requested: 1, limit: 5000 } };
  return slot;
}

async function started(options: ConstructorParameters<typeof ResponseCache>[2] = {}) {
  let now = 1_000;
  const bus = new MemoryEventBus(createLogger('silent'));
  const cache = new ResponseCache(bus, topics, { now: () => now, ...options });
  await cache.start();
  now += 1;
  return { cache, bus, advance: (ms = 1) => (now += ms) };
}

describe('ResponseCache', () => {
  it('keeps at most maxBytes of keys and bodies, dropping the least recently used first', async () => {
    const { cache, advance } = await started({ maxBytes: 3_000 });
    for (const key of ['a', 'b', 'c']) {
      await cache.set(storable(cache, key), 'x'.repeat(1_000), 'application/json', 'max-age=60, public');
      advance();
    }
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBeLessThanOrEqual(3_000);
    expect(cache.getLocal('a')).toBeUndefined();
    expect(cache.getLocal('c')).toBeDefined();
  });

  it('never keeps the first answer that reads a symbol it does not listen to yet, then trusts its ticks', async () => {
    const { cache, bus, advance } = await started();
    await cache.set(storable(cache, 'aapl', ['AAPL']), '{}', 'application/json', '');
    expect(cache.getLocal('aapl')).toBeUndefined();
    await settle();
    advance();
    await cache.set(storable(cache, 'aapl', ['AAPL']), '{}', 'application/json', '');
    await cache.set(storable(cache, 'msft-free', []), '{}', 'application/json', '');
    advance();
    expect(cache.getLocal('aapl')).toBeDefined();
    await bus.publish('price:AAPL', { symbol: 'AAPL' });
    await settle();
    expect(cache.getLocal('aapl')).toBeUndefined();
    expect(cache.getLocal('msft-free')).toBeDefined();
    await bus.publish('stocks:changed', {});
    await settle();
    expect(cache.getLocal('msft-free')).toBeUndefined();
  });

  it('serves nothing while the bus is down, and nothing stored before it came back', async () => {
    let generation = 0;
    const { cache, advance } = await started({ busGeneration: () => generation });
    await cache.set(storable(cache, 'k'), '{}', 'application/json', '');
    advance();
    expect(cache.getLocal('k')).toBeDefined();
    generation = -1;
    expect(cache.getLocal('k')).toBeUndefined();
    await cache.set(storable(cache, 'k'), '{}', 'application/json', '');
    expect(cache.getLocal('k')).toBeUndefined();
    generation = 1;
    // The look-up notices the reconnect (as the handler's does before a request runs).
    expect(cache.getLocal('k')).toBeUndefined();
    advance();
    await cache.set(storable(cache, 'k'), '{}', 'application/json', '');
    advance();
    expect(cache.getLocal('k')).toBeDefined();
  });
});
