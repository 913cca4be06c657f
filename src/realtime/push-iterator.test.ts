import { describe, expect, it } from 'vitest';
import { pushIterator } from './push-iterator.js';

describe('pushIterator', () => {
  it('drops the oldest values past maxQueued, telling onDrop about each one and onOverflow only once', async () => {
    let drops = 0;
    let overflows = 0;
    const stream = pushIterator<number>({ maxQueued: 3, onDrop: () => (drops += 1), onOverflow: () => (overflows += 1) });
    for (let value = 1; value <= 7; value += 1) stream.push(value);
    expect({ drops, overflows }).toEqual({ drops: 4, overflows: 1 });
    const pulled = [];
    for (let n = 0; n < 3; n += 1) pulled.push((await stream.iterator.next()).value);
    expect(pulled).toEqual([5, 6, 7]);
    stream.push(8);
    expect(drops).toBe(4);
    await stream.iterator.return!();
  });
});
