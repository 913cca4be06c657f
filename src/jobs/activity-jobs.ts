import type { ActivityConfig } from '../config.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { dropExpiredActivity, ensureActivityPartitions } from '../modules/activity/activity-retention.js';
import type { Job } from './scheduler.js';

/** Daily at 04:10 UTC: the activity tables' partitions for the coming months, then whole expired months dropped. */
export function activityJobs(deps: { userSql: SqlExecutor; config: ActivityConfig }): Job[] {
  return [
    {
      name: 'activity-retention',
      cron: '0 10 4 * * *',
      lockTtlMs: 10 * 60_000,
      async run() {
        const created = await ensureActivityPartitions(deps.userSql);
        const report = await dropExpiredActivity(deps.userSql, deps.config.retentionDays);
        return { created, ...report };
      },
    },
  ];
}
