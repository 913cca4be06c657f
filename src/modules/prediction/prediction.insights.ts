import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { createModelEvaluation } from '../../workers/model-evaluation-pool.js';
import { ModelRegistry } from './model-registry.js';
import { ModelTrainingService } from './model-training.service.js';
import { PredictionRunner } from './prediction-run.js';
import { StoredPredictionSignals } from './prediction-signals.js';

/**
 * Two jobs under the scheduler's cross-process lock: training on weekday evenings after the US close (backtest and
 * fit every forecaster in worker threads, then predict with the new versions), and an hourly prediction run. The
 * warm-up trains on a fresh start (no ACTIVE model this process can read) and otherwise predicts.
 */
export function createPredictions(host: InsightHost) {
  const config = host.config.predictions;
  const registry = new ModelRegistry(host.stockDb.prisma, host.config.dataDir);
  const evaluation = createModelEvaluation(config.workers);
  const deps = { sql: host.stockDb.sql, registry, config, logger: host.logger };
  const training = new ModelTrainingService({ ...deps, evaluation });
  const runner = new PredictionRunner({ ...deps, db: host.stockDb.prisma, bus: host.bus });

  const predictJob: Job = { name: 'predictions', cron: '0 5 * * * *', lockTtlMs: 20 * 60_000, run: () => runner.run() };
  const trainJob: Job = {
    name: 'model-training',
    cron: '0 30 22 * * 1-5',
    lockTtlMs: 2 * 60 * 60_000,
    run: async () => {
      const trained = await training.train();
      return { trained: trained.length, ...(await runner.run()) };
    },
  };
  const needsTraining = async () => {
    const active = await registry.active();
    if (active.length === 0) return true;
    for (const model of active) if (!(await registry.load(model))) return true;
    return false;
  };
  return {
    jobs: [trainJob, predictJob],
    registry,
    training,
    runner,
    signals: new StoredPredictionSignals(host.stockDb.sql),
    warmUp: {
      name: 'model-training',
      run: async () => host.scheduler.tick((await needsTraining()) ? trainJob : predictJob),
    },
    close: () => evaluation.close(),
  };
}
