import type { InsightHost } from '../../composition/insights.js';
import type { Job } from '../../jobs/scheduler.js';
import { indicatorTopic, priceTopic, scanTopic, sentimentTopic, type ScanCompletedEvent, type SentimentUpdatedEvent } from '../../realtime/topics.js';
import { AlertEvaluator, alertsChangedTopic, type AlertsChangedEvent } from './alert-evaluator.js';
import { AlertStore } from './alert.store.js';
import { ScreenerMembership, screenerMembershipTopic, type ScreenerMembershipEvent } from './screener-membership.js';
import { VolumeAverages } from './volume-averages.js';

export interface Alerts {
  evaluator: AlertEvaluator;
  volumeAverages: VolumeAverages;
  /** alert-screeners: saved screeners' membership every minute, once across processes. */
  jobs: Job[];
  close(): Promise<void>;
}

/**
 * Every process evaluates the events it hears for symbols holding alerts; the store's conditional UPDATE makes
 * one of them fire each crossing. Symbols are subscribed when their first alert arrives.
 */
export async function createAlerts(host: InsightHost): Promise<Alerts> {
  const evaluator = new AlertEvaluator(new AlertStore(host.userDb.prisma), host.bus);
  const volumeAverages = new VolumeAverages(host.stockDb.prisma, host.cache);
  const membership = new ScreenerMembership({ index: evaluator.index, userDb: host.userDb.prisma, stockDb: host.stockDb.prisma, cache: host.cache, bus: host.bus });
  const unsubscribes: (() => Promise<void>)[] = [];
  const watched = new Set<string>();
  const failed = (err: unknown) => host.logger.error({ err }, 'alert evaluation failed');
  const handle = (work: () => Promise<unknown>) =>
    void work()
      .catch(failed)
      .finally(() => void (evaluator.handled += 1));
  const watch = async (symbol: string) => {
    if (watched.has(symbol)) return;
    watched.add(symbol);
    unsubscribes.push(
      await host.bus.subscribe(priceTopic(symbol), (event) => {
        const q = event as { price: number; previousClose: number | null; volume: number };
        handle(async () => {
          // Only symbols with a VOLUME_SPIKE alert need the average (once per session, see VolumeAverages).
          // A failed read leaves VOLUME_SPIKE unevaluated on this tick; the symbol's other alerts still are.
          const averageVolume20 = evaluator.index.watchesVolume(symbol) ? ((await volumeAverages.get(symbol).catch((err: unknown) => (failed(err), null))) ?? undefined) : undefined;
          return evaluator.observe(symbol, { price: q.price, sessionReference: q.previousClose ?? undefined, volume: q.volume, averageVolume20 });
        });
      }),
      await host.bus.subscribe(indicatorTopic(symbol), (event) => {
        const rsi = (event as { rsi14: number | null }).rsi14;
        handle(async () => (rsi === null ? [] : evaluator.observe(symbol, { rsi })));
      }),
      await host.bus.subscribe(sentimentTopic(symbol), (event) => handle(() => evaluator.onSentiment(event as SentimentUpdatedEvent))),
    );
  };
  await evaluator.load();
  for (const symbol of evaluator.index.symbols()) await watch(symbol);
  unsubscribes.push(
    await host.bus.subscribe(alertsChangedTopic, (event) => {
      handle(() => evaluator.apply(event as AlertsChangedEvent).then(() => Promise.all(evaluator.index.symbols().map(watch))));
    }),
    await host.bus.subscribe(screenerMembershipTopic, (event) => handle(() => evaluator.onScreenerMembership(event as ScreenerMembershipEvent))),
    ...(await Promise.all(
      (['DAILY', 'WEEKLY'] as const).map((tf) => host.bus.subscribe(scanTopic(tf), (event) => handle(() => evaluator.onScan(event as ScanCompletedEvent)))),
    )),
  );
  const screenersJob: Job = { name: 'alert-screeners', cron: '30 * * * * *', lockTtlMs: 50_000, run: () => membership.evaluate() };
  return {
    evaluator,
    volumeAverages,
    jobs: [screenersJob],
    async close() {
      for (const unsubscribe of unsubscribes) await unsubscribe();
    },
  };
}
