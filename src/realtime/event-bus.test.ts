import { describe, expect, it } from 'vitest';
import { TopicHandlers } from './event-bus.js';

/** Keeps the thread busy, as a handler writing to many sockets would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('TopicHandlers.deliver', () => {
  it('yields to the event loop during a long delivery, and never lets a later event overtake an earlier one', async () => {
    const topics = new TopicHandlers();
    const seen: string[][] = Array.from({ length: 60 }, () => []);
    const timeline: string[] = [];
    seen.forEach((events, i) =>
      topics.add('t', (event) => {
        const { name } = event as { name: string };
        // The first event is slow to hand over, the second fast: delivered side by side, the second would pass it.
        if (name === 'slow') busy(0.5);
        events.push(name);
        if (i === seen.length - 1) timeline.push(`last handler got ${name}`);
      }),
    );
    setImmediate(() => timeline.push('other work'));
    const errors: unknown[] = [];
    await Promise.all([topics.deliver('t', JSON.stringify({ name: 'slow' }), (e) => errors.push(e)), topics.deliver('t', JSON.stringify({ name: 'fast' }), (e) => errors.push(e))]);

    expect(errors).toEqual([]);
    expect(seen.every((events) => events.join() === 'slow,fast')).toBe(true);
    // 60 handlers x 0.5 ms is several slices: other work ran before the delivery reached its last handler.
    expect(timeline).toEqual(['other work', 'last handler got slow', 'last handler got fast']);
  });

  it('reports a message that is not JSON and goes on delivering the next one', async () => {
    const topics = new TopicHandlers();
    const got: unknown[] = [];
    topics.add('t', (event) => got.push(event));
    const errors: unknown[] = [];
    await Promise.all([topics.deliver('t', '{not json', (e) => errors.push(e)), topics.deliver('t', '{"n":1}', (e) => errors.push(e))]);
    expect(errors).toHaveLength(1);
    expect(got).toEqual([{ n: 1 }]);
  });
});
