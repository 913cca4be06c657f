import type { UserClient } from '../../db/database.js';
import { BadUserInputError, NotFoundError } from '../../graphql/errors.js';
import { NEEDS_THRESHOLD, type AlertCondition, type AlertSpec } from './alert-index.js';

/** Most alerts one user may hold. */
export const ALERTS_PER_USER = 200;

export interface CreateAlertInput {
  symbol: string;
  condition: AlertCondition;
  threshold?: number | null;
  screenerId?: string | null;
  scanKind?: string | null;
  cooldownSeconds?: number | null;
}

export interface AlertEventRow {
  id: string;
  alertId: string;
  accountId: string;
  symbol: string;
  condition: AlertCondition;
  value: number | null;
  firedAt: Date;
}

type AlertRow = {
  id: string;
  accountId: string;
  stockSymbol: string;
  condition: AlertCondition;
  threshold: number | null;
  scanKind: string | null;
  screenerId: string | null;
  cooldownSeconds: number;
  armed: boolean;
  lastFiredAt: Date | null;
};

export function toSpec(row: AlertRow): AlertSpec {
  return {
    id: row.id,
    userId: row.accountId,
    symbol: row.stockSymbol,
    condition: row.condition,
    threshold: row.threshold,
    scanKind: row.scanKind,
    screenerId: row.screenerId,
    cooldownSeconds: row.cooldownSeconds,
  };
}

/**
 * Alerts and their history in the user DB. `fire` is the once-across-processes guard: a conditional UPDATE that
 * only one of N concurrent evaluators can win, with the history row written in the same transaction.
 */
export class AlertStore {
  constructor(private readonly db: UserClient) {}

  /** Validates and writes an alert; `assertSymbol` throws BAD_USER_INPUT for a symbol that is not listed. */
  async create(accountId: string, input: CreateAlertInput, assertSymbol: (symbol: string) => Promise<void>): Promise<AlertRow> {
    const threshold = input.threshold ?? null;
    if (NEEDS_THRESHOLD.has(input.condition) && threshold === null) {
      throw new BadUserInputError(`threshold: ${input.condition} needs a threshold`, 'threshold');
    }
    if (input.condition === 'SCAN' && !input.scanKind) throw new BadUserInputError('scanKind: SCAN needs a scanKind', 'scanKind');
    const onScreener = input.condition === 'SCREENER_ENTER' || input.condition === 'SCREENER_LEAVE';
    if (onScreener && !input.screenerId) throw new BadUserInputError(`screenerId: ${input.condition} needs a screenerId`, 'screenerId');
    const cooldownSeconds = input.cooldownSeconds ?? 0;
    if (!Number.isInteger(cooldownSeconds) || cooldownSeconds < 0 || cooldownSeconds > 30 * 86_400) {
      throw new BadUserInputError('cooldownSeconds: must be a whole number of seconds between 0 and 30 days', 'cooldownSeconds');
    }
    await assertSymbol(input.symbol);
    if (onScreener) {
      const screener = await this.db.customScreener.findFirst({ where: { id: input.screenerId!, accountId }, select: { id: true } });
      if (!screener) throw new NotFoundError(`No custom screener ${input.screenerId}`);
    }
    if ((await this.db.alert.count({ where: { accountId } })) >= ALERTS_PER_USER) {
      throw new BadUserInputError(`at most ${ALERTS_PER_USER} alerts per user: delete one first`);
    }
    return this.db.alert.create({
      data: {
        accountId,
        stockSymbol: input.symbol,
        condition: input.condition,
        threshold,
        scanKind: input.condition === 'SCAN' ? input.scanKind! : null,
        screenerId: onScreener ? input.screenerId! : null,
        cooldownSeconds,
      },
    });
  }

  list(accountId: string): Promise<AlertRow[]> {
    return this.db.alert.findMany({ where: { accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Every alert, for building a process's index at start. */
  all(): Promise<AlertRow[]> {
    return this.db.alert.findMany();
  }

  get(id: string): Promise<AlertRow | null> {
    return this.db.alert.findUnique({ where: { id } });
  }

  async forInterest(interestId: string): Promise<string | null> {
    return (await this.db.alert.findUnique({ where: { interestId }, select: { id: true } }))?.id ?? null;
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const { count } = await this.db.alert.deleteMany({ where: { id, accountId } });
    return count > 0;
  }

  /** Fires the alert unless another process already did (or it is disarmed or cooling down). */
  async fire(alert: AlertSpec, value: number | null, now: Date): Promise<AlertEventRow | null> {
    return this.db.$transaction(async (tx) => {
      const won = await tx.$executeRaw`
        UPDATE "alert" SET "armed" = false, "last_fired_at" = ${now}
        WHERE "id" = ${alert.id}::uuid AND "armed"
          AND ("last_fired_at" IS NULL OR "last_fired_at" <= ${now}::timestamptz - make_interval(secs => "cooldown_seconds"))`;
      if (won === 0) return null;
      const row = await tx.alertEvent.create({
        data: { alertId: alert.id, accountId: alert.userId, stockSymbol: alert.symbol, condition: alert.condition, value },
      });
      return { id: row.id, alertId: row.alertId, accountId: row.accountId, symbol: row.stockSymbol, condition: row.condition, value: row.value, firedAt: row.firedAt };
    });
  }

  /** Re-arms alerts whose condition went false (idempotent, so every process may do it). */
  async rearm(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.alert.updateMany({ where: { id: { in: [...ids] }, armed: false }, data: { armed: true } });
  }

  /** The user's history, newest first; `after` is the id of the last event of the previous page. */
  async history(accountId: string, first: number, after: string | null): Promise<{ events: AlertEventRow[]; hasNextPage: boolean }> {
    let cursor: { firedAt: Date; id: string } | null = null;
    if (after) {
      cursor = await this.db.alertEvent.findFirst({ where: { id: after, accountId }, select: { firedAt: true, id: true } });
      if (!cursor) throw new BadUserInputError('after: not a cursor of this history', 'after');
    }
    const rows = await this.db.alertEvent.findMany({
      where: {
        accountId,
        ...(cursor ? { OR: [{ firedAt: { lt: cursor.firedAt } }, { firedAt: cursor.firedAt, id: { lt: cursor.id } }] } : {}),
      },
      orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    const events = rows.slice(0, first).map((row) => ({
      id: row.id, alertId: row.alertId, accountId: row.accountId, symbol: row.stockSymbol, condition: row.condition, value: row.value, firedAt: row.firedAt,
    }));
    return { events, hasNextPage: rows.length > first };
  }

  /**
   * Keeps the PRICE alert of a StockInterest in step with its targetPrice. Direction rule: a target at or above the
   * last price is PRICE_ABOVE (tell me when it rises to it), below it PRICE_BELOW; with no known price, PRICE_ABOVE.
   * A null target removes the alert. Returns the alert row, or null when there is none.
   */
  async syncInterest(
    interest: { id: string; accountId: string; symbol: string; targetPrice: number | null },
    lastPrice: number | null,
  ): Promise<AlertRow | null> {
    if (interest.targetPrice === null) {
      await this.db.alert.deleteMany({ where: { interestId: interest.id } });
      return null;
    }
    const condition: AlertCondition = lastPrice !== null && interest.targetPrice < lastPrice ? 'PRICE_BELOW' : 'PRICE_ABOVE';
    const data = { stockSymbol: interest.symbol, condition, threshold: interest.targetPrice, armed: true, lastFiredAt: null };
    return this.db.alert.upsert({
      where: { interestId: interest.id },
      create: { accountId: interest.accountId, interestId: interest.id, cooldownSeconds: 0, ...data },
      update: data,
    });
  }
}
