import type { EventBus } from '../../realtime/event-bus.js';
import { alertTopic, type ScanCompletedEvent, type SentimentUpdatedEvent } from '../../realtime/topics.js';
import { AlertIndex, type CompiledAlert, type Observation } from './alert-index.js';
import { toSpec, type AlertEventRow, type AlertStore } from './alert.store.js';
import type { ScreenerMembershipEvent } from './screener-membership.js';

/** Bus topic on which alert creations / deletions reach every process's index. */
export const alertsChangedTopic = 'alerts:changed';
export type AlertsChangedEvent = { upsert: string } | { remove: string };

/** What subscribers of alertTopic(userId) receive. */
export interface AlertTriggeredPayload {
  id: string;
  alertId: string;
  symbol: string;
  condition: string;
  value: number | null;
  firedAt: string;
}

/**
 * One process's evaluator: the in-memory index decides cheaply which alerts may fire; the store's conditional
 * UPDATE decides which process actually fires them, so every process may observe every event.
 */
export class AlertEvaluator {
  readonly index = new AlertIndex();
  /** Bus events this process has finished handling (tests wait on it instead of sleeping). */
  handled = 0;

  constructor(
    private readonly store: AlertStore,
    private readonly bus: EventBus,
  ) {}

  async load(): Promise<void> {
    for (const row of await this.store.all()) {
      this.index.upsert(toSpec(row), { armed: row.armed, lastFiredAt: row.lastFiredAt?.getTime() ?? null });
    }
  }

  /** Applies a change announced on alertsChangedTopic. */
  async apply(change: AlertsChangedEvent): Promise<void> {
    if ('remove' in change) return this.index.remove(change.remove);
    const row = await this.store.get(change.upsert);
    if (!row) return this.index.remove(change.upsert);
    this.index.upsert(toSpec(row), { armed: row.armed, lastFiredAt: row.lastFiredAt?.getTime() ?? null });
  }

  async observe(symbol: string, observation: Observation, now = new Date()): Promise<AlertEventRow[]> {
    const rearmed: CompiledAlert[] = [];
    const candidates = this.index.observe(symbol, observation, now.getTime(), rearmed);
    await this.store.rearm(rearmed.map((a) => a.id));
    const fired: AlertEventRow[] = [];
    for (const { alert, value } of candidates) {
      const event = await this.store.fire(alert, value, now);
      if (!event) continue;
      fired.push(event);
      const payload: AlertTriggeredPayload = {
        id: event.id,
        alertId: event.alertId,
        symbol: event.symbol,
        condition: event.condition,
        value: event.value,
        firedAt: event.firedAt.toISOString(),
      };
      await this.bus.publish(alertTopic(event.accountId), payload);
    }
    return fired;
  }

  /** One finished scan run: every symbol holding a SCAN alert is observed, with or without hits. */
  async onScan(event: ScanCompletedEvent, now = new Date()): Promise<AlertEventRow[]> {
    const kinds = new Map<string, Set<string>>();
    for (const hit of event.hits) {
      let set = kinds.get(hit.symbol);
      if (!set) kinds.set(hit.symbol, (set = new Set()));
      set.add(hit.kind);
    }
    const fired: AlertEventRow[] = [];
    for (const symbol of this.index.symbols()) {
      fired.push(...(await this.observe(symbol, { scanKinds: kinds.get(symbol) ?? new Set() }, now)));
    }
    return fired;
  }

  /** Symbols that entered or left a saved screener: ENTER alerts see them inside, LEAVE alerts outside. */
  async onScreenerMembership(event: ScreenerMembershipEvent, now = new Date()): Promise<AlertEventRow[]> {
    const evaluated = new Set([event.screenerId]);
    const fired: AlertEventRow[] = [];
    for (const symbol of event.entered) fired.push(...(await this.observe(symbol, { inScreeners: evaluated, screenersEvaluated: evaluated }, now)));
    for (const symbol of event.left) fired.push(...(await this.observe(symbol, { inScreeners: new Set(), screenersEvaluated: evaluated }, now)));
    return fired;
  }

  /**
   * SENTIMENT_SWING follows the one-day summary (a swing is the day's tone moving): a refresh publishes each window
   * that changed on the same topic, and mixing them would fire on one window and re-arm on a calmer other one.
   */
  onSentiment(event: SentimentUpdatedEvent, now = new Date()): Promise<AlertEventRow[]> {
    if (event.window !== 'ONE_DAY') return Promise.resolve([]);
    return this.observe(event.symbol, { sentimentScore: event.score, previousSentimentScore: event.previousScore }, now);
  }
}
