import { Decimal } from 'decimal.js';
import type { OrderConfig } from '../../config.js';
import type { StockClient, UserClient } from '../../db/database.js';
import type { EventBus } from '../../realtime/event-bus.js';
import type { Tick } from '../../providers/market-data-provider.js';
import { tickProblem } from '../market/tick-aggregation.js';
import { sessionStatsQuery } from '../stock/stock.loaders.js';
import { requireRate, StockDbFxRates } from './fx-rates.js';
import { appendCash, BOOK_TRANSACTION, latestCash, lockPortfolios, type Tx } from './ledger.js';
import { decide, reservationAfterFill, tickLiquidity, type MatchDecision, type MatchTick } from './matching-engine.js';
import { dec, newYorkDate, toCurrencyUnit, ZERO } from './money.js';
import { publishOrder, recordTradingEvent, toOrder } from './order-events.js';
import { readOpenOrders, readOrder, reservedCash, type OpenOrderRow, type OrderRow } from './order.sql.js';
import { applyTrade } from './position-math.js';

export interface MatchReport {
  orders: number;
  fills: number;
  canceled: number;
  rejected: number;
  /** Fills skipped because this (order, tick) had filled already: a tick delivered twice. */
  duplicates: number;
  /** Orders whose fill failed (rolled back; retried on a later tick). */
  errors: number;
}

export interface OrderFillFaults {
  /** Test hook: runs inside the fill transaction right after the fills row is inserted (throw to abort mid-fill). */
  afterFillInsert?: (orderId: string, tx: Tx) => Promise<void> | void;
}

type Outcome = 'filled' | 'canceled' | 'rejected' | 'duplicate' | 'stale' | 'none';

const OPEN = new Set(['NEW', 'PARTIALLY_FILLED']);
/** Portfolios whose fills are written at once: below the smallest pool, so API requests still get connections. */
const FILL_CONCURRENCY = 3;

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * The DB side of the matching engine: runs inside the quotes job after the
 * ticks are stored, so under the job's lock it runs in one process at a time.
 * Each decision of matching-engine.ts is applied in one transaction that takes
 * the portfolio row lock: fill + trade log + cash (TRADE, FEE) + position +
 * order + trading event, all or nothing. The fills table's unique
 * (order_id, tick_ts) makes a tick delivered twice fill nothing twice, even
 * from a second matcher that somehow ran.
 */
export class OrderFillService {
  constructor(
    private readonly userDb: UserClient,
    private readonly stockDb: StockClient,
    private readonly bus: EventBus,
    private readonly config: OrderConfig,
    /** Mutable so that a fault test can set a hook on a running app. */
    readonly faults: OrderFillFaults = {},
    private readonly onError?: (error: unknown, orderId: string) => void,
  ) {}

  async match(ticks: readonly Tick[]): Promise<MatchReport> {
    const report: MatchReport = { orders: 0, fills: 0, canceled: 0, rejected: 0, duplicates: 0, errors: 0 };
    const valid = ticks.filter((tick) => tickProblem(tick) === null).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    if (valid.length === 0) return report;
    const open = await readOpenOrders(this.userDb, [...new Set(valid.map((tick) => tick.symbol))]);
    report.orders = open.length;
    if (open.length === 0) return report;
    const averageVolumes = await this.averageVolumes([...new Set(open.map((order) => order.stockSymbol))]);
    const fx = new StockDbFxRates(this.stockDb);
    const bySymbol = new Map<string, OpenOrderRow[]>();
    for (const order of open) bySymbol.set(order.stockSymbol, [...(bySymbol.get(order.stockSymbol) ?? []), order]);

    for (const tick of valid) {
      const orders = bySymbol.get(tick.symbol);
      if (!orders) continue;
      const matchTick: MatchTick = { price: new Decimal(tick.price), volume: new Decimal(tick.volume), timestamp: tick.timestamp };
      // Decisions in acceptance order, each taking its share of the tick's liquidity (earmarked: a fill that is
      // then rejected does not hand it to a later order); then applied, one portfolio's orders in order, up to
      // FILL_CONCURRENCY portfolios at once (their transactions lock different rows).
      let available = tickLiquidity(matchTick.volume, this.config.tickParticipation);
      const byPortfolio = new Map<string, { index: number; decision: MatchDecision }[]>();
      orders.forEach((order, index) => {
        if (!OPEN.has(order.status)) return;
        const decision = decide(toMatchable(order), matchTick, available, averageVolumes.get(order.stockSymbol) ?? null, this.config);
        if (decision.kind === 'none' && decision.stopTriggered === (order.stopTriggeredAt !== null)) return;
        if (decision.kind === 'fill') available = available.minus(decision.quantity);
        const planned = byPortfolio.get(order.portfolioId) ?? [];
        planned.push({ index, decision });
        byPortfolio.set(order.portfolioId, planned);
      });
      await inParallel([...byPortfolio.values()], FILL_CONCURRENCY, async (planned) => {
        for (const { index, decision } of planned) {
          const order = orders[index]!;
          let result: { outcome: Outcome; row: OrderRow | null };
          try {
            result = await this.apply(order, matchTick, decision, fx);
          } catch (error) {
            // The transaction rolled back whole; this order is tried again on the next tick, the others go on.
            report.errors++;
            this.onError?.(error, order.id);
            continue;
          }
          const { outcome, row } = result;
          if (outcome === 'filled') report.fills++;
          if (outcome === 'canceled') report.canceled++;
          if (outcome === 'rejected') report.rejected++;
          if (outcome === 'duplicate') report.duplicates++;
          if (!row) continue;
          const filled = decision.kind === 'fill' && outcome === 'filled';
          orders[index] = { ...order, ...row, commissionSoFar: filled ? dec(order.commissionSoFar).plus(decision.commission) : order.commissionSoFar };
          if (outcome !== 'none') await publishOrder(this.bus, toOrder(row));
        }
      });
    }
    return report;
  }

  /** DAY orders whose session has closed: EXPIRED, reservation released, one event each. One statement. */
  async expireDue(now: Date): Promise<number> {
    const ids = await this.userDb.$queryRaw<{ id: string }[]>`
      WITH expired AS (
        UPDATE orders SET status = 'EXPIRED', reserved_amount = 0, updated_at = ${now},
          reject_reason = 'DAY order: the New York session closed at ' || to_char(expires_at AT TIME ZONE 'America/New_York', 'YYYY-MM-DD HH24:MI') || ' New York time'
        WHERE status IN ('NEW', 'PARTIALLY_FILLED') AND expires_at <= ${now}
        RETURNING id, portfolio_id, stock_symbol, side, type, quantity, filled_quantity, reject_reason
      ), events AS (
        INSERT INTO trading_events (portfolio_id, order_id, type, payload)
        SELECT portfolio_id, id, 'EXPIRED', jsonb_build_object('symbol', stock_symbol, 'side', side, 'type', type, 'quantity', quantity::text,
          'filledQuantity', filled_quantity::text, 'status', 'EXPIRED', 'reason', reject_reason) FROM expired
      )
      SELECT id::text AS id FROM expired`;
    for (const { id } of ids) {
      const row = await readOrder(this.userDb, id);
      if (row) await publishOrder(this.bus, toOrder(row));
    }
    return ids.length;
  }

  private async averageVolumes(symbols: string[]): Promise<Map<string, Decimal | null>> {
    const rows = await this.stockDb.$queryRaw<{ symbol: string; average_volume: { toString(): string } | null }[]>(sessionStatsQuery(symbols, new Date()));
    return new Map(rows.map((row) => [row.symbol, row.average_volume == null ? null : dec(row.average_volume)]));
  }

  private async apply(order: OpenOrderRow, tick: MatchTick, decision: MatchDecision, fx: StockDbFxRates): Promise<{ outcome: Outcome; row: OrderRow | null }> {
    if (decision.kind === 'none') {
      if (decision.stopTriggered && !order.stopTriggeredAt) {
        await this.userDb.order.updateMany({ where: { id: order.id, stopTriggeredAt: null }, data: { stopTriggeredAt: tick.timestamp } });
        return { outcome: 'none', row: { ...order, stopTriggeredAt: tick.timestamp } };
      }
      return { outcome: 'none', row: null };
    }
    if (decision.kind === 'cancel') return this.finish(order, 'CANCELED', decision.reason, decision.stopTriggered ? tick.timestamp : null);
    // Outside the transaction: the rate comes from the other database.
    const fxRate = await requireRate(fx, order.currency.trim(), order.baseCurrency);
    return this.userDb.$transaction(async (tx) => {
      const locked = (await lockPortfolios(tx, order.accountId, [order.portfolioId])).get(order.portfolioId)!;
      const current = (await readOrder(tx, order.id))!;
      // Canceled meanwhile, or filled by a matcher we did not know about: decide again next tick.
      if (!OPEN.has(current.status) || !dec(current.filledQuantity).eq(dec(order.filledQuantity))) return { outcome: 'stale' as const, row: null };
      const currency = current.currency.trim();
      const notionalLocal = toCurrencyUnit(decision.quantity.mul(decision.price), currency);
      const previous = await tx.positionsBook.findFirst({ where: { portfolioId: order.portfolioId, stockSymbol: order.stockSymbol }, orderBy: { id: 'desc' } });
      const held = previous
        ? { quantity: dec(previous.quantity), averageCost: dec(previous.averageCost), costBasis: dec(previous.costBasis), realizedPnl: dec(previous.realizedPnl), commissionPaid: dec(previous.commissionPaid) }
        : null;
      let cash = await latestCash(tx, order.portfolioId, currency);
      if (current.side === 'SELL' && !locked.allowShort && (held?.quantity ?? ZERO).lt(decision.quantity)) {
        return this.finishIn(tx, current, 'REJECTED', `at fill: the portfolio holds ${(held?.quantity ?? ZERO).toFixed()} ${current.stockSymbol}, fewer than the ${decision.quantity.toFixed()} to sell`, null);
      }
      const cost = notionalLocal.plus(decision.commission);
      const others = dec(await reservedCash(tx, order.portfolioId, currency, order.id));
      if (current.side === 'BUY' && cash.minus(others).lt(cost)) {
        return this.finishIn(tx, current, 'REJECTED', `at fill: buying power ${cash.minus(others).toFixed(2)} ${currency} is below the fill's ${cost.toFixed(2)}`, null);
      }
      const inserted = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO fills (order_id, quantity, price, commission, slippage_bps, tick_ts, executed_at)
        VALUES (${order.id}::uuid, ${decision.quantity.toFixed()}::numeric, ${decision.price.toFixed()}::numeric, ${decision.commission.toFixed()}::numeric,
                ${decision.slippageBps.toFixed()}::numeric, ${tick.timestamp}, ${tick.timestamp})
        ON CONFLICT (order_id, tick_ts) DO NOTHING RETURNING id`;
      if (inserted.length === 0) return { outcome: 'duplicate' as const, row: null };
      await this.faults.afterFillInsert?.(order.id, tx);
      const fillId = inserted[0]!.id;
      const tradeDate = newYorkDate(tick.timestamp);
      const trade = await tx.tradeExecutionLog.create({
        data: {
          portfolioId: order.portfolioId,
          source: 'PAPER',
          orderId: order.id,
          fillId,
          stockSymbol: order.stockSymbol,
          side: current.side,
          quantity: decision.quantity.toFixed(),
          arrivalPrice: current.arrivalPrice?.toString() ?? null,
          execPrice: decision.price.toFixed(),
          slippageBps: decision.slippageBps.toFixed(),
          notional: toCurrencyUnit(notionalLocal.mul(fxRate), order.baseCurrency).toFixed(),
          notionalLocal: notionalLocal.toFixed(),
          currency,
          fxRate: fxRate.toDecimalPlaces(10).toFixed(),
          commission: decision.commission.toFixed(),
          executedAt: tick.timestamp,
          tradeDate,
        },
      });
      const delta = current.side === 'BUY' ? notionalLocal.negated() : notionalLocal;
      cash = await appendCash(tx, { portfolioId: order.portfolioId, currency, delta, reason: 'TRADE', tradeDate, tradeId: trade.id }, cash);
      if (decision.commission.gt(0)) {
        await appendCash(tx, { portfolioId: order.portfolioId, currency, delta: decision.commission.negated(), reason: 'FEE', tradeDate, tradeId: trade.id }, cash);
      }
      const next = applyTrade(held, { side: current.side, quantity: decision.quantity, price: decision.price, notional: notionalLocal, commission: decision.commission });
      await tx.positionsBook.create({
        data: {
          portfolioId: order.portfolioId,
          stockSymbol: order.stockSymbol,
          quantity: next.quantity.toFixed(),
          averageCost: next.averageCost.toFixed(),
          costBasis: next.costBasis.toFixed(),
          currency,
          realizedPnl: next.realizedPnl.toFixed(),
          commissionPaid: next.commissionPaid.toFixed(),
          tradeId: trade.id,
        },
      });
      const filledBefore = dec(current.filledQuantity);
      const filledAfter = filledBefore.plus(decision.quantity);
      const quantity = dec(current.quantity);
      const averageBefore = current.averageFillPrice ? dec(current.averageFillPrice) : ZERO;
      const average = averageBefore.mul(filledBefore).plus(decision.price.mul(decision.quantity)).div(filledAfter).toDecimalPlaces(6);
      const done = filledAfter.gte(quantity);
      const status = done ? 'FILLED' : decision.cancelRest ? 'CANCELED' : 'PARTIALLY_FILLED';
      const reserved = done || decision.cancelRest ? ZERO : reservationAfterFill(dec(current.reservedAmount), quantity.minus(filledBefore), quantity.minus(filledAfter));
      await tx.order.update({
        where: { id: order.id },
        data: {
          filledQuantity: filledAfter.toFixed(),
          averageFillPrice: average.toFixed(),
          status,
          reservedAmount: reserved.toFixed(),
          rejectReason: decision.cancelRest ? `IOC: the first tick after acceptance filled ${filledAfter.toFixed()} of ${quantity.toFixed()} shares; the rest is canceled` : null,
          stopTriggeredAt: current.stopTriggeredAt ?? (decision.stopTriggered ? tick.timestamp : null),
          updatedAt: new Date(),
        },
      });
      const row = (await readOrder(tx, order.id))!;
      const fillPayload = { fill: { quantity: decision.quantity.toFixed(), price: decision.price.toFixed(), commission: decision.commission.toFixed(), slippageBps: decision.slippageBps.toFixed() } };
      await recordTradingEvent(tx, row, done ? 'FILLED' : 'PARTIALLY_FILLED', fillPayload);
      if (decision.cancelRest) await recordTradingEvent(tx, row, 'CANCELED', { by: 'timeInForce' });
      return { outcome: 'filled' as const, row };
    }, BOOK_TRANSACTION);
  }

  private finish(order: OpenOrderRow, status: 'CANCELED' | 'REJECTED', reason: string, stopTriggeredAt: Date | null) {
    return this.userDb.$transaction(async (tx) => {
      await lockPortfolios(tx, order.accountId, [order.portfolioId]);
      const current = (await readOrder(tx, order.id))!;
      if (!OPEN.has(current.status)) return { outcome: 'stale' as const, row: null };
      return this.finishIn(tx, current, status, reason, stopTriggeredAt);
    }, BOOK_TRANSACTION);
  }

  /** A final state without a fill (IOC/FOK cancel, rejection at fill): the reservation is released. */
  private async finishIn(tx: Tx, current: OrderRow, status: 'CANCELED' | 'REJECTED', reason: string, stopTriggeredAt: Date | null) {
    await tx.order.update({
      where: { id: current.id },
      data: { status, rejectReason: reason.slice(0, 200), reservedAmount: '0', stopTriggeredAt: current.stopTriggeredAt ?? stopTriggeredAt, updatedAt: new Date() },
    });
    const row = (await readOrder(tx, current.id))!;
    await recordTradingEvent(tx, row, status, status === 'CANCELED' ? { by: 'timeInForce' } : {});
    return { outcome: status === 'CANCELED' ? ('canceled' as const) : ('rejected' as const), row };
  }
}

function toMatchable(order: OpenOrderRow) {
  return {
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    quantity: dec(order.quantity),
    filledQuantity: dec(order.filledQuantity),
    limitPrice: order.limitPrice ? dec(order.limitPrice) : null,
    stopPrice: order.stopPrice ? dec(order.stopPrice) : null,
    stopTriggered: order.stopTriggeredAt !== null,
    commissionSoFar: dec(order.commissionSoFar),
    currency: order.currency.trim(),
    createdAt: order.createdAt,
  };
}
