import { describe, expect, it } from 'vitest';
import { aggregateTicks, dayStart } from './tick-aggregation.js';

describe('dayStart', () => {
  it('stamps a tick with UTC midnight of its New York date, also in the evening when the UTC date has moved on', () => {
    expect(dayStart(new Date('2026-12-01T15:00:00Z'))).toEqual(new Date('2026-12-01T00:00:00Z'));
    // 20:30 EST on Dec 1 is 01:30 UTC on Dec 2.
    expect(dayStart(new Date('2026-12-02T01:30:00Z'))).toEqual(new Date('2026-12-01T00:00:00Z'));
    // 00:30 EDT on Jul 2 is 04:30 UTC: New York has started the new day.
    expect(dayStart(new Date('2026-07-02T04:30:00Z'))).toEqual(new Date('2026-07-02T00:00:00Z'));
  });

  it('puts a late-evening tick into the same daily bucket as that day\'s session', () => {
    const ticks = [
      { symbol: 'AAPL', price: '100', volume: 10, timestamp: new Date('2026-12-01T15:00:00Z') },
      { symbol: 'AAPL', price: '101', volume: 5, timestamp: new Date('2026-12-02T01:30:00Z') },
    ];
    const [day, ...rest] = aggregateTicks(ticks, dayStart);
    expect(rest).toEqual([]);
    expect([day!.ts, day!.close.toString(), day!.volume]).toEqual([new Date('2026-12-01T00:00:00Z'), '101', 15n]);
  });
});
