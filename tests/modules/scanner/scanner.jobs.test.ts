import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTradingDay, newYorkDate } from '../../../src/modules/market/calendar/new-york-calendar.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { buildMarket, marketSql, recentWeekday } from './fixtures/candles.js';

const runs = async (t: TestApp) =>
  t.stock.sql.query<{ timeframe: string; n: number }>(`SELECT timeframe, count(*)::int AS n FROM market_scan_run GROUP BY 1 ORDER BY 1`);

let t: TestApp;
beforeAll(async () => {
  // As on a first start of the embedded default: the insight warm-ups on, no scan yet. Scans inline (no worker thread to
  // start: the worker path has its own tests), which keeps this test quick on a loaded machine.
  t = await startTestApp({ prepareStock: (db) => db.sql.exec(marketSql(buildMarket(recentWeekday()))), env: { INSIGHTS_ON_START: 'true', INDICATOR_WORKERS: '0' } });
});
afterAll(() => t?.close());

describe('the scan jobs', () => {
  it('run a first DAILY and WEEKLY scan at start when there is none, so marketScan shows one', async () => {
    const latest = async (tf: string) => (await t.data(`query($tf: ScanTimeframe) { marketScan(timeframe: $tf, kind: MOST_ACTIVE, first: 1) { run { timeframe symbolCount } } }`, { tf })).marketScan.run;
    await expect.poll(() => latest('DAILY'), { timeout: 120_000, interval: 250 }).toEqual({ timeframe: 'DAILY', symbolCount: 14 });
    await expect.poll(() => latest('WEEKLY'), { timeout: 120_000, interval: 250 }).toEqual({ timeframe: 'WEEKLY', symbolCount: 14 });
    expect(await runs(t)).toEqual([{ timeframe: 'DAILY', n: 1 }, { timeframe: 'WEEKLY', n: 1 }]);
    // A loaded machine starts the other warm-ups and the scan worker thread slowly: give the polls their full time.
  }, 250_000);

  it('are scheduled after the New York close, DAILY on weekdays and WEEKLY on Fridays', () => {
    const scans = t.app.jobs.filter((job) => job.name.startsWith('market-scan-')).map(({ name, cron, timezone }) => ({ name, cron, timezone }));
    expect(scans).toEqual([
      { name: 'market-scan-daily', cron: '0 15 16 * * 1-5', timezone: 'America/New_York' },
      { name: 'market-scan-weekly', cron: '0 30 16 * * 5', timezone: 'America/New_York' },
    ]);
  });

  it('scan on a tick through the scheduler’s lock, and skip a day the market is closed', async () => {
    const daily = t.app.jobs.find((job) => job.name === 'market-scan-daily')!;
    const before = (await runs(t)).find((r) => r.timeframe === 'DAILY')!.n;
    expect(await t.app.scheduler.tick(daily)).toBe('ran');
    const after = (await runs(t)).find((r) => r.timeframe === 'DAILY')!.n;
    expect(after).toBe(isTradingDay(newYorkDate(new Date())) ? before + 1 : before);
  });
});
