import type { RedisClient } from '../redis.js';
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
import { createFeatures } from '../modules/prediction/features/features.insights.js';
import { createNewsIngestion } from '../modules/news/news.jobs.js';
import { createScanner } from '../modules/scanner/scanner.insights.js';
import type { ScanRunner } from '../modules/scanner/scanner.runner.js';
import { createSentiment } from '../modules/sentiment/sentiment.insights.js';
import { createPredictions } from '../modules/prediction/prediction.insights.js';

/** What the composition root hands the insight modules (scanner, news, sentiment, features, predictions, strategies, alerts). */
export interface InsightHost {
  config: Config;
  logger: Logger;
  stockDb: Database<StockClient>;
  userDb: Database<UserClient>;
  cache: Cache;
  bus: EventBus;
  redis?: RedisClient;
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
  /** Market scan runs (runMarketScan, the scan jobs); see src/modules/scanner. */
  scanner?: ScanRunner;
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
  // --- sentiment (src/modules/sentiment, issue 13 part 3) ---
  // sentiment.refreshSentiment(symbols) recomputes, stores and publishes those symbols' summaries; it is the news
  // ingestion's onArticlesStored hook below. The hourly job (also the warm-up) follows the windows moving on.
  const sentiment = createSentiment(host);
  jobs.push(...sentiment.jobs);
  warmUps.push({ name: 'sentiment-refresh', run: () => host.scheduler.tick(sentiment.jobs[0]!) });
  const alerts = await createAlerts(host);
  context.alerts = alerts.evaluator;
  closers.push(() => alerts.close());
  jobs.push(...alerts.jobs);
  // The saved screeners' first membership, so SCREENER_ENTER / SCREENER_LEAVE fire on the first change after start.
  warmUps.push({ name: 'alert-screeners', run: () => host.scheduler.tick(alerts.jobs[0]!) });
  const features = createFeatures(host);
  jobs.push(...features.jobs);
  warmUps.push({ name: 'features', run: () => host.scheduler.tick(features.jobs[0]!) });
  closers.push(() => features.close());
  // News (issue 13 part 2): ingested every 30 minutes; the warm-up stores the offline set on a fresh install.
  // Stored articles move their symbols' sentiment summaries (stored, published on sentimentTopic when changed).
  const news = createNewsIngestion(host, { onArticlesStored: (symbols) => sentiment.refreshSentiment(symbols) });
  jobs.push(news.job);
  warmUps.push({ name: 'news-ingest', run: () => host.scheduler.tick(news.job) });
  const scanner = createScanner(host);
  context.scanner = scanner.runner;
  jobs.push(...scanner.jobs);
  warmUps.push(...scanner.warmUps);
  closers.push(() => scanner.close());
  return {
    jobs,
    context,
    warmUps,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
