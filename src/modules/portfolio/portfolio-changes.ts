import type { EventBus } from '../../realtime/event-bus.js';
import { portfolioTopic } from '../../realtime/topics.js';

/**
 * After commit: tells portfolioValueUpdated subscribers in every process that these books changed, so the value is
 * recomputed (and a newly bought symbol's ticks followed) without waiting for a tick of a symbol already held.
 * A bus failure must not undo or fail a committed write.
 */
export async function announcePortfolioChange(bus: EventBus | undefined, portfolioIds: readonly string[]): Promise<void> {
  if (!bus) return;
  await Promise.all(portfolioIds.map((id) => bus.publish(portfolioTopic(id), { portfolioId: id }).catch(() => undefined)));
}
