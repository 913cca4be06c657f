import type { Redis } from 'ioredis';
import type { Cache } from '../cache/cache.js';
import type { Config } from '../config.js';
import type { Database, StockClient, UserClient } from '../db/database.js';
import type { Job, Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { StockRowCache } from '../modules/stock/stock-row-cache.js';
import type { EventBus } from '../realtime/event-bus.js';
import { createStrategies } from '../modules/strategy/strategy-jobs.js';
import type { StrategyEvaluator } from '../modules/strategy/strategy-evaluator.js';
import type { AlertEvaluator } from '../modules/alert/alert-evaluator.js';
import { createAlerts } from '../modules/alert/alert.insights.js';
import { createPredictions } from '../modules/prediction/prediction.insights.js';

/** What the composition root hands the insight modules (scanner, news, sentiment, features, predictions, strategies, alerts). */
export interface InsightHost {
  config: Config;
  logger: Logger;
  stockDb: Database<StockClient>;
  userDb: Database<UserClient>;
  cache: Cache;
  bus: EventBus;
  redis?: Redis;
  stockRows: StockRowCache;
  /** Ticks a job under its cross-process lock (start-up runs go through it so N processes run them once). */
  scheduler: Scheduler;
  /** Aborted when the app closes. */
  signal: AbortSignal;
}

/** Long-lived insight services every request context can reach (ContextDependencies.insights). */
export interface InsightDependencies {
  /** Enabled strategies' signals into paper orders (issue 13, part 6). */
  strategies?: StrategyEvaluator;
  /** This process's alert evaluator (symbol-indexed); see src/modules/alert. */
  alerts?: AlertEvaluator;
}

export interface Insights {
  /** Scheduled jobs, run like the market jobs: under the scheduler's lock, observed by the activity log. */
  jobs: Job[];
  context: InsightDependencies;
  /** Background work started once the app is built (a first scan, offline news, default models); never blocks readiness. */
  warmUps: { name: string; run(): Promise<unknown> }[];
  close(): Promise<void>;
}

export async function createInsights(host: InsightHost): Promise<Insights> {
  const jobs: Job[] = [];
  const warmUps: Insights['warmUps'] = [];
  const closers: (() => Promise<void>)[] = [];
  const context: InsightDependencies = {};

  const predictions = createPredictions(host);
  jobs.push(...predictions.jobs);
  warmUps.push(predictions.warmUp);
  closers.push(() => predictions.close());
  const strategies = createStrategies(host, predictions.signals);
  context.strategies = strategies.evaluator;
  jobs.push(...strategies.jobs);
  warmUps.push({ name: 'strategy-evaluation', run: () => host.scheduler.tick(strategies.jobs[0]!) });
  const alerts = await createAlerts(host);
  context.alerts = alerts.evaluator;
  closers.push(() => alerts.close());
  return {
    jobs,
    context,
    warmUps,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
