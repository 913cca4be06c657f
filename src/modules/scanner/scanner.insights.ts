import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { isTradingDay, newYorkDate } from '../market/calendar/new-york-calendar.js';
import { createScanCompute } from '../../workers/scan-pool.js';
import type { ScanTimeframeName } from './scan-math.js';
import { ScanRunner } from './scanner.runner.js';
import { findRun } from './scanner.store.js';

/**
 * The scan schedule: DAILY at 16:15 New York on trading days, WEEKLY on Fridays at 16:30 (after the close). Each tick
 * runs under the scheduler's lock, so once across processes; the warm-ups go through the same jobs' locks and run a
 * timeframe only when it has no run yet, so the embedded default shows a scan after its first start.
 */
export function createScanner(host: InsightHost): { runner: ScanRunner; jobs: Job[]; warmUps: { name: string; run(): Promise<unknown> }[]; close(): Promise<void> } {
  const compute = createScanCompute(host.config.indicators.workers);
  const runner = new ScanRunner({ sql: host.stockDb.sql, cache: host.cache, bus: host.bus, compute, logger: host.logger });
  const onTradingDay = (timeframe: ScanTimeframeName) => async () => {
    const now = new Date();
    if (!isTradingDay(newYorkDate(now))) return { skipped: 'market holiday' };
    const run = await runner.run(timeframe, now);
    return { symbols: run.symbolCount, hits: run.resultCount };
  };
  const daily: Job = { name: 'market-scan-daily', cron: '0 15 16 * * 1-5', timezone: 'America/New_York', lockTtlMs: 10 * 60_000, run: onTradingDay('DAILY') };
  const weekly: Job = { name: 'market-scan-weekly', cron: '0 30 16 * * 5', timezone: 'America/New_York', lockTtlMs: 10 * 60_000, run: onTradingDay('WEEKLY') };
  const firstRun = (job: Job, timeframe: ScanTimeframeName) => ({
    name: job.name,
    run: () =>
      host.scheduler.tick({
        ...job,
        run: async () => ((await findRun(host.stockDb.sql, timeframe)) ? { skipped: 'a run exists' } : runner.run(timeframe)),
      }),
  });
  return {
    runner,
    jobs: [daily, weekly],
    // One after the other: two scans at once would only compete for the same cores at start-up.
    warmUps: [{ name: 'market-scan', run: async () => [await firstRun(daily, 'DAILY').run(), await firstRun(weekly, 'WEEKLY').run()] }],
    close: () => compute.close(),
  };
}
