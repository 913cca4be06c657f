import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory-cache.js';
import { createLogger } from '../../../src/log.js';
import { MemoryEventBus } from '../../../src/realtime/memory-event-bus.js';
import { scanTopic, type ScanCompletedEvent } from '../../../src/realtime/topics.js';
import { rankHits, scanMany } from '../../../src/modules/scanner/scan-math.js';
import { ScanRunner } from '../../../src/modules/scanner/scanner.runner.js';
import { createScanCompute } from '../../../src/workers/scan-pool.js';
import { openTestDatabase, testServerUrl, type TestDatabase } from '../../support/databases.js';
import { MARKET, marketSql } from './fixtures/candles.js';

if (!testServerUrl('stock')) console.warn('scanner-store.test: running on PGlite; set TEST_STOCK_DATABASE_URL for real PostgreSQL');

let db: TestDatabase;
const cache = new MemoryCache();
const bus = new MemoryEventBus(createLogger('silent'));
// One real worker thread: the run goes through the same path as in the app.
const compute = createScanCompute(1);
beforeAll(async () => {
  db = await openTestDatabase('stock');
  await db.sql.exec(marketSql());
});
afterAll(async () => {
  await compute.close();
  await cache.close();
  await db?.close();
});

// Friday 2026-01-30, after the close: the fixture's last candle is that day.
const AT = new Date('2026-01-30T21:15:00.000Z');
const rowsByPartition = () =>
  db.sql.query<{ partition: string; n: number }>(
    `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM market_scan_result GROUP BY 1 ORDER BY 1`,
  );

describe('a scan run in the stock database', () => {
  it('writes its ranked hits into the partition of its month and one run row naming them', async () => {
    const runner = new ScanRunner({ sql: db.sql, cache, bus, compute });
    const heard: ScanCompletedEvent[] = [];
    const unsubscribe = await bus.subscribe(scanTopic('DAILY'), (event) => void heard.push(event as ScanCompletedEvent));
    const run = await runner.run('DAILY', AT);

    const expected = rankHits(scanMany(MARKET, 'DAILY'));
    expect(run).toMatchObject({ timeframe: 'DAILY', scannedAt: AT, resultCount: expected.length, symbolCount: MARKET.length - 1 });
    expect(await rowsByPartition()).toEqual([{ partition: 'market_scan_result_y2026m01', n: expected.length }]);
    const stored = await db.sql.query<{ kind: string; rank: number; symbol: string }>(
      `SELECT kind, rank, symbol FROM market_scan_result WHERE scanned_at = $1 ORDER BY kind, rank`, [AT.toISOString()]);
    const byKey = (h: { kind: string; rank: number; symbol: string }) => `${h.kind}#${h.rank}:${h.symbol}`;
    expect(stored.map(byKey).sort()).toEqual(expected.map((h) => byKey({ kind: h.kind, rank: h.rank, symbol: h.scan.symbol })).sort());
    expect(stored.map((r) => r.symbol)).not.toContain('EURUSD');
    await expect.poll(() => heard.length).toBe(1);
    await unsubscribe();
    expect(heard[0]!.hits).toHaveLength(expected.length);
    expect(heard[0]!.scannedAt).toBe(AT.toISOString());
  });

  it('replaces, not duplicates, a second run of the same timeframe and time', async () => {
    const runner = new ScanRunner({ sql: db.sql, cache, bus, compute });
    const before = await rowsByPartition();
    await runner.run('DAILY', AT);
    expect(await rowsByPartition()).toEqual(before);
    const runs = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM market_scan_run WHERE timeframe = 'DAILY'`);
    expect(runs[0]!.n).toBe(1);
  });

  it('keeps DAILY and WEEKLY runs apart, each in its own run row', async () => {
    const runner = new ScanRunner({ sql: db.sql, cache, bus, compute });
    const weekly = await runner.run('WEEKLY', AT);
    expect(weekly.resultCount).toBe(rankHits(scanMany(MARKET, 'WEEKLY')).length);
    const counts = await db.sql.query<{ timeframe: string; n: number }>(
      `SELECT timeframe, count(*)::int AS n FROM market_scan_result GROUP BY 1 ORDER BY 1`);
    expect(counts.map((c) => c.timeframe)).toEqual(['DAILY', 'WEEKLY']);
    expect(counts[1]!.n).toBe(weekly.resultCount);
  });
});
