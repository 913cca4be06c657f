import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { noPredictions, type PredictionSignals } from './strategy-signals.js';
import { StrategyEvaluator } from './strategy-evaluator.js';

/**
 * The evaluation trigger: a scheduled pass every 15 minutes under the scheduler's
 * cross-process lock, over the latest stored daily bar of each symbol. Re-running it is
 * harmless (the signal key makes each signal place one order), so no event wiring
 * to the indicator job is needed and a missed tick is caught up by the next.
 */
export function createStrategies(host: InsightHost, predictions: PredictionSignals = noPredictions): { evaluator: StrategyEvaluator; jobs: Job[] } {
  const evaluator = new StrategyEvaluator({
    userDb: host.userDb.prisma,
    stockDb: host.stockDb,
    cache: host.cache,
    bus: host.bus,
    stockRows: host.stockRows,
    orders: host.config.orders,
    predictions,
    logger: host.logger,
  });
  const job: Job = {
    name: 'strategy-evaluation',
    cron: '0 */15 * * * *',
    lockTtlMs: 5 * 60_000,
    run: () => evaluator.evaluate(),
  };
  return { evaluator, jobs: [job] };
}
