import type { Viewer } from '../../graphql/auth.js';
import { NotFoundError } from '../../graphql/errors.js';
import type { EventBus } from '../../realtime/event-bus.js';
import type { StockService } from '../stock/stock.service.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { alertTopic } from '../../realtime/topics.js';
import { alertsChangedTopic, type AlertsChangedEvent, type AlertTriggeredPayload } from './alert-evaluator.js';
import { AlertStore, type CreateAlertInput } from './alert.store.js';
import type { Alert, AlertConditionEnum, AlertEventConnection } from './alert.type.js';

type Row = Awaited<ReturnType<AlertStore['list']>>[number] & { interestId?: string | null };

function toAlert(row: Row): Alert {
  return {
    id: row.id,
    symbol: row.stockSymbol,
    condition: row.condition as AlertConditionEnum,
    threshold: row.threshold,
    screenerId: row.screenerId,
    scanKind: row.scanKind,
    cooldownSeconds: row.cooldownSeconds,
    armed: row.armed,
    lastFiredAt: row.lastFiredAt,
    fromTargetPrice: Boolean(row.interestId),
  };
}

/** The viewer's alerts; every change is announced so each process's evaluation index follows. */
export class AlertService {
  constructor(
    private readonly store: AlertStore,
    private readonly stocks: StockService,
    private readonly bus: EventBus,
  ) {}

  async create(viewer: Viewer, input: CreateAlertInput): Promise<Alert> {
    const row = await this.store.create(viewer.accountId, input, (symbol) => this.stocks.assertListable([symbol], () => 'symbol'));
    await this.bus.publish(alertsChangedTopic, { upsert: row.id } satisfies AlertsChangedEvent);
    return toAlert(row);
  }

  async list(viewer: Viewer): Promise<Alert[]> {
    return (await this.store.list(viewer.accountId)).map(toAlert);
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    // Another user's alert answers like an unknown id.
    if (!(await this.store.delete(viewer.accountId, id))) throw new NotFoundError(`No alert ${id}`);
    await this.bus.publish(alertsChangedTopic, { remove: id } satisfies AlertsChangedEvent);
    return true;
  }

  async history(viewer: Viewer, first: number, after: string | null): Promise<AlertEventConnection> {
    const { events, hasNextPage } = await this.store.history(viewer.accountId, first, after);
    return {
      nodes: events.map((e) => ({ ...e, condition: e.condition as AlertConditionEnum })),
      endCursor: events.at(-1)?.id ?? null,
      hasNextPage,
    };
  }

  /** The viewer's firings only: the topic is named by the viewer's account id. */
  stream(viewer: Viewer, options?: EventStreamOptions): Promise<AsyncIterableIterator<AlertTriggeredPayload>> {
    return eventStream<AlertTriggeredPayload>(this.bus, [alertTopic(viewer.accountId)], async () => [], options);
  }

  /** Keeps the PRICE alert of a StockInterest in step with its targetPrice (direction rule: AlertStore.syncInterest). */
  async syncInterest(interest: { id: string; accountId: string; symbol: string; targetPrice: number | null }): Promise<void> {
    const [quote] = interest.targetPrice === null ? [null] : await this.stocks.quotes([interest.symbol]);
    const before = await this.store.forInterest(interest.id);
    const row = await this.store.syncInterest(interest, quote?.price ?? null);
    const change: AlertsChangedEvent | null = row ? { upsert: row.id } : before ? { remove: before } : null;
    if (change) await this.bus.publish(alertsChangedTopic, change);
  }
}
