import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDailyCandles } from '../../src/db/seed/price-path.js';
import { SEED_STOCKS } from '../../src/db/seed/stocks.data.js';
import { IngestService } from '../../src/modules/market/ingest.service.js';
import { sessionOpen } from '../../src/providers/simulated-intraday.js';
import { SimulatedProvider } from '../../src/providers/simulated-provider.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { countingExecutor } from '../modules/market/counting-executor.js';

const START = new Map<string, string | number>([['AAPL', '190.5'], ['MSFT', 396]]);
const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** A clock that moves 5 s per call, from 2025-03-05 15:00 UTC (10:00 in New York). */
function clock(start = '2025-03-05T15:00:00Z') {
  let t = Date.parse(start);
  return () => new Date((t += 5_000));
}

async function run(provider: SimulatedProvider, calls: number, symbols = ['AAPL', 'MSFT']) {
  const ticks = [];
  for (let i = 0; i < calls; i++) ticks.push(...(await provider.quotes(symbols)));
  return ticks;
}

describe('SimulatedProvider.quotes', () => {
  it('is deterministic: the same seed, start prices and clock give the same ticks', async () => {
    const a = await run(new SimulatedProvider(START, { seed: 'x', now: clock() }), 20);
    const b = await run(new SimulatedProvider(START, { seed: 'x', now: clock() }), 20);
    const c = await run(new SimulatedProvider(START, { seed: 'y', now: clock() }), 20);
    expect(a).toEqual(b);
    expect(a.map((t) => t.price)).not.toEqual(c.map((t) => t.price));
  });

  it('gives one tick per known symbol per call, continuing from the start price and then from its own last tick', async () => {
    const provider = new SimulatedProvider(START, { now: clock() });
    const first = await provider.quotes(['AAPL', 'AAPL', 'MSFT', 'NOPE']);
    expect(first.map((t) => t.symbol)).toEqual(['AAPL', 'MSFT']);
    for (const tick of first) {
      expect(tick.price).toMatch(/^\d+\.\d{4}$/);
      expect(Number.isInteger(tick.volume) && tick.volume >= 0).toBe(true);
      const start = Number(START.get(tick.symbol));
      expect(Math.abs(Number(tick.price) / start - 1)).toBeLessThan(0.01); // a 5-second move
    }
    expect(provider.lastPrice('AAPL')).toBe(Number(first[0]!.price));
    const second = await provider.quotes(['AAPL']);
    expect(Math.abs(Number(second[0]!.price) / Number(first[0]!.price) - 1)).toBeLessThan(0.01);
  });

  it('trades about a day’s average volume over a regular session, most of it near the open and close', async () => {
    const provider = new SimulatedProvider(new Map([['AAPL', 190]]), { tickSeconds: 5, now: clock('2025-03-05T14:30:00Z') });
    const ticks = await run(provider, (390 * 60) / 5, ['AAPL']);
    const total = ticks.reduce((sum, t) => sum + t.volume, 0);
    const average = SEED_STOCKS.find((s) => s.symbol === 'AAPL')!.avgVolume;
    expect(total / average).toBeGreaterThan(0.85);
    expect(total / average).toBeLessThan(1.15);
    const firstHalfHour = ticks.slice(0, 360).reduce((s, t) => s + t.volume, 0);
    const middleHalfHour = ticks.slice(2160, 2520).reduce((s, t) => s + t.volume, 0);
    expect(firstHalfHour).toBeGreaterThan(1.5 * middleHalfHour);
    const night = await run(new SimulatedProvider(new Map([['AAPL', 190]]), { now: clock('2025-03-05T03:00:00Z') }), 100, ['AAPL']);
    expect(night.reduce((s, t) => s + t.volume, 0)).toBeLessThan(middleHalfHour / 10);
  });
});

describe('SimulatedProvider.fromDatabase', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('stock');
    await db.sql.exec(`
      INSERT INTO stock (symbol, name, sector, industry, exchange) VALUES
        ('AAPL', 'Apple Inc.', 'Technology', 'Consumer Electronics', 'NASDAQ'),
        ('MSFT', 'Microsoft Corporation', 'Technology', 'Software', 'NASDAQ'),
        ('NEW', 'No Candles Yet Inc.', 'Technology', 'Software', 'NYSE');
      INSERT INTO stock_price (symbol, interval, ts, open, high, low, close, adj_close, volume) VALUES
        ('AAPL', 'DAY', '2025-03-04', 187.5, 188.9, 186.1, 188.00, 188.00, 48000000),
        ('AAPL', 'DAY', '2025-03-05', 188.2, 191.0, 187.9, 190.50, 190.50, 61000000),
        ('AAPL', 'MINUTE', '2025-03-05T20:59:00Z', 190.4, 190.6, 190.3, 190.45, NULL, 1000),
        ('MSFT', 'DAY', '2025-03-05', 404.0, 404.5, 395.0, 396.00, 396.00, 25000000);`);
  });
  afterAll(() => db?.close());

  it('starts each symbol from its latest stored daily close, in one query', async () => {
    const sql = countingExecutor(db.sql);
    const provider = await SimulatedProvider.fromDatabase(sql, ['AAPL', 'MSFT', 'NEW']);
    expect(sql.statements).toHaveLength(1);
    expect([provider.lastPrice('AAPL'), provider.lastPrice('MSFT'), provider.lastPrice('NEW')]).toEqual([190.5, 396, undefined]);
  });

  it('continues after a restart from the close its own ticks left behind', async () => {
    const now = clock('2025-03-06T15:00:00Z');
    const before = await SimulatedProvider.fromDatabase(db.sql, ['AAPL'], { now });
    const ingest = new IngestService(db.sql, { tickSource: 'simulated' });
    let last = '';
    for (let i = 0; i < 5; i++) {
      const ticks = await before.quotes(['AAPL']);
      await ingest.ingestTicks(ticks);
      last = ticks[0]!.price;
    }
    const after = await SimulatedProvider.fromDatabase(db.sql, ['AAPL'], { now });
    expect(after.lastPrice('AAPL')).toBe(Number(last));
  });
});

describe('SimulatedProvider.history', () => {
  const provider = new SimulatedProvider(new Map());
  const aapl = SEED_STOCKS.find((s) => s.symbol === 'AAPL')!;

  it('serves the seed’s daily price path for DAY', async () => {
    const candles = await provider.history('AAPL', 'DAY', day('2024-03-01'), day('2024-03-08'));
    const seed = generateDailyCandles(aapl, day('2024-03-01'), day('2024-03-08'));
    expect(candles).toEqual(seed.map((c) => ({ ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, adjClose: c.adjClose, volume: c.volume.toString() })));
  });

  it('splits each day into 390 minute or 7 hourly bars inside the day’s range, adding up to its volume', async () => {
    const [daily] = generateDailyCandles(aapl, day('2024-07-01'), day('2024-07-01'));
    const hours = await provider.history('AAPL', 'HOUR', day('2024-07-01'), new Date('2024-07-01T23:59:59Z'));
    const minutes = await provider.history('AAPL', 'MINUTE', day('2024-07-01'), new Date('2024-07-01T23:59:59Z'));
    expect(hours).toHaveLength(7);
    expect(minutes).toHaveLength(390);
    // 09:30 New York is 13:30 UTC in July and 14:30 UTC in January.
    expect(hours[0]!.ts).toEqual(new Date('2024-07-01T13:30:00Z'));
    expect(sessionOpen(day('2024-01-02'))).toEqual(new Date('2024-01-02T14:30:00Z'));
    for (const bars of [hours, minutes]) {
      expect(bars[0]!.open).toBe(daily!.open);
      expect(bars.at(-1)!.close).toBe(daily!.close);
      expect(bars.reduce((s, b) => s + BigInt(b.volume), 0n)).toBe(daily!.volume);
      for (const b of bars) {
        expect(Number(b.high)).toBeLessThanOrEqual(Number(daily!.high));
        expect(Number(b.low)).toBeGreaterThanOrEqual(Number(daily!.low));
        expect(Number(b.high)).toBeGreaterThanOrEqual(Math.max(Number(b.open), Number(b.close)));
      }
    }
    expect(await provider.history('AAPL', 'MINUTE', day('2024-07-06'), day('2024-07-07'))).toEqual([]); // a weekend
  });
});
