import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { createSentimentRefresher } from './sentiment.refresh.js';
import { deleteSummariesBefore, symbolsWithArticlesSince } from './sentiment.sql.js';
import { WINDOW_MS } from './sentiment.type.js';

/**
 * `refreshSentiment` is the news ingestion's onArticlesStored hook (never rejects). Windows also move on without new articles (a day
 * old article leaves ONE_DAY), so an hourly job refreshes every symbol with an article in the longest window; the
 * same run is the start-up warm-up, so stored summaries exist on the embedded default from the first minute. It also
 * drops stored summaries older than SUMMARY_RETENTION_DAYS.
 */
export const SUMMARY_RETENTION_DAYS = 90;

export function createSentiment(host: InsightHost): { refreshSentiment: (symbols: readonly string[]) => Promise<void>; jobs: Job[] } {
  const refresh = createSentimentRefresher({ sql: host.stockDb.sql, bus: host.bus });
  const job: Job = {
    name: 'sentiment-refresh',
    cron: '0 7 * * * *',
    lockTtlMs: 10 * 60_000,
    run: async () => {
      const now = new Date();
      const symbols = await symbolsWithArticlesSince(host.stockDb.sql, new Date(now.getTime() - WINDOW_MS.THIRTY_DAYS));
      const published = (await refresh(symbols, now)).length;
      const deleted = await deleteSummariesBefore(host.stockDb.sql, new Date(now.getTime() - SUMMARY_RETENTION_DAYS * 86_400_000));
      return { symbols: symbols.length, published, deleted };
    },
  };
  // The articles are stored whatever happens here: a failed refresh must not fail the ingestion (the job catches up).
  const refreshSentiment = async (symbols: readonly string[]) => {
    await refresh(symbols).catch((err: unknown) =>
      host.logger.error({ err, symbols: symbols.length }, 'sentiment refresh after news ingestion failed; the hourly sentiment-refresh job retries it'),
    );
  };
  return { refreshSentiment, jobs: [job] };
}
