import type { InsightHost } from '../../composition/insights.js';
import { indicatorTopic, priceTopic, scanTopic, sentimentTopic, type ScanCompletedEvent, type SentimentUpdatedEvent } from '../../realtime/topics.js';
import { AlertEvaluator, alertsChangedTopic, type AlertsChangedEvent } from './alert-evaluator.js';
import { AlertStore } from './alert.store.js';

/**
 * Every process evaluates the events it hears for symbols holding alerts; the store's conditional UPDATE makes
 * one of them fire each crossing. Symbols are subscribed when their first alert arrives.
 */
export async function createAlerts(host: InsightHost): Promise<{ evaluator: AlertEvaluator; close(): Promise<void> }> {
  const evaluator = new AlertEvaluator(new AlertStore(host.userDb.prisma), host.bus);
  const unsubscribes: (() => Promise<void>)[] = [];
  const watched = new Set<string>();
  const failed = (err: unknown) => host.logger.error({ err }, 'alert evaluation failed');
  const watch = async (symbol: string) => {
    if (watched.has(symbol)) return;
    watched.add(symbol);
    unsubscribes.push(
      await host.bus.subscribe(priceTopic(symbol), (event) => {
        const q = event as { price: number; previousClose: number | null; volume: number };
        void evaluator.observe(symbol, { price: q.price, sessionReference: q.previousClose ?? undefined, volume: q.volume }).catch(failed);
      }),
      await host.bus.subscribe(indicatorTopic(symbol), (event) => {
        const rsi = (event as { rsi14: number | null }).rsi14;
        if (rsi !== null) void evaluator.observe(symbol, { rsi }).catch(failed);
      }),
      await host.bus.subscribe(sentimentTopic(symbol), (event) => void evaluator.onSentiment(event as SentimentUpdatedEvent).catch(failed)),
    );
  };
  await evaluator.load();
  for (const symbol of evaluator.index.symbols()) await watch(symbol);
  unsubscribes.push(
    await host.bus.subscribe(alertsChangedTopic, (event) => {
      void evaluator
        .apply(event as AlertsChangedEvent)
        .then(() => Promise.all(evaluator.index.symbols().map(watch)))
        .catch(failed);
    }),
    ...(await Promise.all(
      (['DAILY', 'WEEKLY'] as const).map((tf) => host.bus.subscribe(scanTopic(tf), (event) => void evaluator.onScan(event as ScanCompletedEvent).catch(failed))),
    )),
  );
  return {
    evaluator,
    async close() {
      for (const unsubscribe of unsubscribes) await unsubscribe();
    },
  };
}
