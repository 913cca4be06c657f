import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { createNewsProvider } from '../../providers/news/index.js';
import { createSentimentAnalyzer } from '../../providers/sentiment/index.js';
import { NewsIngestService } from './news-ingest.service.js';

export interface NewsIngestionOptions {
  /** Called with the symbols that got new articles (the sentiment summaries plug in here); default: nothing. */
  onArticlesStored?: (symbols: string[]) => Promise<void>;
}

/**
 * The news job: every 30 minutes, once across processes (the scheduler's lock), from the configured provider. The
 * warm-up is one tick of the same job at start, so a fresh install (offline provider by default) shows the bundled
 * headlines at once and N processes starting together ingest them once.
 */
export function createNewsIngestion(host: InsightHost, options: NewsIngestionOptions = {}): { service: NewsIngestService; job: Job } {
  const service = new NewsIngestService({
    sql: host.stockDb.sql,
    provider: createNewsProvider(host.config, host.logger, host.cache),
    analyzer: createSentimentAnalyzer(host.config, host.logger),
    logger: host.logger,
    onArticlesStored: options.onArticlesStored,
  });
  const job: Job = {
    name: 'news-ingest',
    cron: '0 */30 * * * *',
    lockTtlMs: 10 * 60_000,
    run: () => service.ingest(host.signal),
  };
  return { service, job };
}
