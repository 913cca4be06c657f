import type { StockClient, UserClient } from '../db/database.js';
import { writeEodSnapshots } from '../modules/portfolio/snapshot.service.js';
import type { Job } from './scheduler.js';

export interface PortfolioJobDependencies {
  userDb: UserClient;
  stockDb: StockClient;
}

/**
 * The end-of-day pnl_book snapshot. It runs every 15 minutes and writes only
 * what is missing for the last complete session, so the first run after the
 * close (16:00 New York, 13:00 on early closes) writes the day, later runs
 * write nothing, and a process that was down at the close catches up on start.
 */
export function portfolioJobs(deps: PortfolioJobDependencies): Job[] {
  return [
    {
      name: 'portfolio-snapshots',
      cron: '0 */15 * * * *',
      timezone: 'America/New_York',
      lockTtlMs: 10 * 60_000,
      run: () => writeEodSnapshots(deps.userDb, deps.stockDb, new Date()),
    },
  ];
}
