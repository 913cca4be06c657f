import type { InsightHost } from '../../../composition/insights.js';
import type { Job } from '../../../jobs/scheduler.js';
import { createFeatureCompute } from '../../../workers/feature-pool.js';
import { FeatureStore, type FeatureRefreshReport } from './feature-store.js';
import { refreshFeatureSummary } from './feature-store.sql.js';

export const FEATURES_JOB = 'features';

/**
 * The features job: hourly under the scheduler's cross-process lock, brings feature_engineered_data up to date
 * (incrementally) and then refreshes mv_features_dashboard_summary. Its worker threads are INDICATOR_WORKERS many
 * (0: inline). The warm-up is one tick of the same job, so a fresh install's summary is filled at start.
 */
export function createFeatures(host: InsightHost): { store: FeatureStore; jobs: Job[]; close(): Promise<void> } {
  const compute = createFeatureCompute(host.config.indicators.workers);
  const store = new FeatureStore(host.stockDb.sql, compute, { logger: host.logger });
  const job: Job = {
    name: FEATURES_JOB,
    cron: '0 7 * * * *',
    lockTtlMs: 30 * 60_000,
    async run(): Promise<FeatureRefreshReport> {
      const report = await store.refresh({ signal: host.signal });
      if (!host.signal.aborted) await refreshFeatureSummary(host.stockDb.sql);
      return report;
    },
  };
  return { store, jobs: [job], close: () => compute.close() };
}
