import type { Cache } from '../../cache/cache.js';
import type { StockClient, UserClient } from '../../db/database.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { sessionWindow } from '../market/calendar/session-window.js';
import { compileScreenerMembers, type ScreenerConditions } from '../screener/screener.sql.js';
import { alertsChangedTopic, type AlertsChangedEvent } from './alert-evaluator.js';
import type { AlertIndex } from './alert-index.js';

/** Symbols that entered or left a saved screener since its previous evaluation; every process's evaluator observes it. */
export const screenerMembershipTopic = 'alerts:screener-membership';
export interface ScreenerMembershipEvent {
  screenerId: string;
  entered: string[];
  left: string[];
}

/** Long enough to outlast a weekend without evaluations; a lost record only means one evaluation without events. */
const MEMBERSHIP_TTL_SECONDS = 7 * 86_400;
const membershipKey = (screenerId: string) => `alerts:screener-membership:${screenerId}`;

/**
 * Evaluates the saved screeners that SCREENER_ENTER / SCREENER_LEAVE alerts watch: one statement per screener over
 * the symbols its alerts name, whatever the number of alerts. The last membership lives in the shared cache, so
 * an alert fires on a change only: a symbol seen for the first time is recorded, not announced.
 * Run under the scheduler's lock (once across processes); the result reaches every process over the bus.
 */
export class ScreenerMembership {
  /** Statements sent to the stock DB by the last run (tests count them). */
  lastRunStatements = 0;

  constructor(
    private readonly deps: { index: AlertIndex; userDb: UserClient; stockDb: StockClient; cache: Cache; bus: EventBus },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async evaluate(): Promise<{ screeners: number; entered: number; left: number }> {
    const { index, userDb, stockDb, cache, bus } = this.deps;
    this.lastRunStatements = 0;
    const watched = index.screeners();
    if (watched.size === 0) return { screeners: 0, entered: 0, left: 0 };
    const ids = [...watched.keys()];
    const [screeners, numeric, categorical] = await Promise.all([
      userDb.customScreener.findMany({ where: { id: { in: ids } }, select: { id: true } }),
      userDb.customScreenerNumeric.findMany({ where: { screenerId: { in: ids } }, orderBy: [{ position: 'asc' }, { id: 'asc' }] }),
      userDb.customScreenerCategorical.findMany({ where: { screenerId: { in: ids } }, orderBy: [{ position: 'asc' }, { id: 'asc' }] }),
    ]);
    const [numericFilters, categoricalFilters] = await Promise.all([
      stockDb.numericFilter.findMany({ where: { id: { in: [...new Set(numeric.map((c) => c.numericFilterId))] } } }),
      stockDb.categoricalFilter.findMany({ where: { id: { in: [...new Set(categorical.map((c) => c.categoricalFilterId))] } } }),
    ]);
    this.lastRunStatements += 2;
    const numericColumn = new Map(numericFilters.map((f) => [f.id, f.columnName]));
    const categoricalColumn = new Map(categoricalFilters.map((f) => [f.id, f.columnName]));
    const existing = new Set(screeners.map((s) => s.id));
    const market = sessionWindow(this.now());
    let entered = 0;
    let left = 0;
    for (const [screenerId, symbols] of watched) {
      if (!existing.has(screenerId)) {
        // Deleted: its alerts went with it (ON DELETE CASCADE); every index drops them.
        for (const alert of index.alertsOfScreener(screenerId)) await bus.publish(alertsChangedTopic, { remove: alert } satisfies AlertsChangedEvent);
        continue;
      }
      const conditions: ScreenerConditions = {
        numeric: numeric
          .filter((c) => c.screenerId === screenerId && numericColumn.has(c.numericFilterId))
          .map((c) => ({ column: numericColumn.get(c.numericFilterId)!, min: c.min === null ? null : Number(c.min), max: c.max === null ? null : Number(c.max) })),
        categorical: categorical
          .filter((c) => c.screenerId === screenerId && categoricalColumn.has(c.categoricalFilterId))
          .map((c) => ({ column: categoricalColumn.get(c.categoricalFilterId)!, values: c.values })),
      };
      const rows = await stockDb.$queryRaw<{ symbol: string }[]>(compileScreenerMembers(conditions, market, [...symbols]));
      this.lastRunStatements += 1;
      const inside = new Set(rows.map((r) => r.symbol));
      const previous = (await cache.get<Record<string, boolean>>(membershipKey(screenerId))) ?? {};
      const event: ScreenerMembershipEvent = { screenerId, entered: [], left: [] };
      const current: Record<string, boolean> = {};
      for (const symbol of symbols) {
        current[symbol] = inside.has(symbol);
        if (!(symbol in previous) || previous[symbol] === current[symbol]) continue;
        (current[symbol] ? event.entered : event.left).push(symbol);
      }
      await cache.set(membershipKey(screenerId), current, MEMBERSHIP_TTL_SECONDS);
      entered += event.entered.length;
      left += event.left.length;
      if (event.entered.length + event.left.length > 0) await bus.publish(screenerMembershipTopic, event);
    }
    return { screeners: watched.size, entered, left };
  }
}
