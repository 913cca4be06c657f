import type { SqlExecutor } from '../../db/sql-executor.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { sentimentTopic, type SentimentUpdatedEvent } from '../../realtime/topics.js';
import { insertSummaries, latestStoredSummaries, lockSentimentRefresh } from './sentiment.sql.js';
import { computeSummaries } from './sentiment.summary.js';
import { SentimentWindow } from './sentiment.type.js';

/** What sentimentTopic carries: the alert module's SentimentUpdatedEvent plus the trend sentimentUpdated returns. */
export type SentimentPublishedEvent = SentimentUpdatedEvent & { trend: number | null };

export type RefreshSentiment = (symbols: readonly string[], now?: Date) => Promise<SentimentPublishedEvent[]>;

const WINDOWS = Object.values(SentimentWindow);

/**
 * `refreshSentiment(symbols)`: recomputes every window of those symbols from their articles, stores each summary
 * whose score differs from the newest stored one (or that has none yet) and then publishes it on sentimentTopic;
 * an unchanged score is neither stored nor published, nor is a window without articles. Runs in one transaction
 * under an advisory lock, so concurrent refreshes (ingestion hook, hourly job, other processes) publish a change
 * once. Six statements for any number of symbols. Returns what it published.
 */
export function createSentimentRefresher(deps: { sql: SqlExecutor; bus: EventBus }): RefreshSentiment {
  return async (symbols, now = new Date()) => {
    const unique = [...new Set(symbols)];
    if (unique.length === 0) return [];
    const changed = await deps.sql.transaction(async (tx) => {
      await lockSentimentRefresh(tx);
      const stored = new Map((await latestStoredSummaries(tx, unique)).map((s) => [`${s.symbol}|${s.window}`, s]));
      const events: SentimentPublishedEvent[] = [];
      for (const window of WINDOWS) {
        for (const summary of (await computeSummaries(tx, unique, window, now)).values()) {
          const previous = stored.get(`${summary.symbol}|${window}`);
          if (previous && previous.score === summary.score) continue;
          const { symbol, score, label, articleCount, trend } = summary;
          events.push({ symbol, window, score, previousScore: previous?.score ?? null, label, articleCount, trend });
        }
      }
      await insertSummaries(tx, events, now);
      return events;
    });
    for (const event of changed) await deps.bus.publish(sentimentTopic(event.symbol), event);
    return changed;
  };
}
