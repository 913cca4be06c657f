import { Decimal } from 'decimal.js';
import type { OrderConfig } from '../../config.js';
import type { UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError, InsufficientFundsError, InsufficientPositionError, NotFoundError } from '../../graphql/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../graphql/relay.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { eventStream, type EventStreamOptions } from '../../realtime/event-stream.js';
import { orderTopic } from '../../realtime/topics.js';
import { newYorkDate, sessionOn } from '../market/calendar/new-york-calendar.js';
import type { StockService } from '../stock/stock.service.js';
import { requireRate, type FxRates } from './fx-rates.js';
import { BOOK_TRANSACTION, latestCash, lockPortfolios, type Tx } from './ledger.js';
import { reservationFor } from './matching-engine.js';
import { dec, MINOR_UNITS } from './money.js';
import { publishOrder, recordTradingEvent, toOrder } from './order-events.js';
import type { OrderLoaders } from './order.loaders.js';
import { openSellQuantity, readOrder, reservedCash, type OrderRow } from './order.sql.js';
import type { Order, OrderConnection } from './order.type.js';
import type { PlaceOrder } from './order.validation.js';
import type { PortfolioService } from './portfolio.service.js';

const CURSOR_KIND = 'order';
const DAY_MS = 86_400_000;

/** A DAY order is for the session in progress, or the next one when placed after the close, on a weekend or a holiday. */
export function dayOrderExpiry(now: Date): Date {
  for (let i = 0; i < 15; i++) {
    const session = sessionOn(newYorkDate(new Date(now.getTime() + i * DAY_MS)));
    if (session && session.close.getTime() > now.getTime()) return session.close;
  }
  throw new Error('no trading session within 15 days');
}

async function heldQuantity(tx: Tx, portfolioId: string, symbol: string): Promise<Decimal> {
  const row = await tx.positionsBook.findFirst({ where: { portfolioId, stockSymbol: symbol }, orderBy: { id: 'desc' }, select: { quantity: true } });
  return row ? dec(row.quantity) : new Decimal(0);
}

/**
 * placeOrder / cancelOrder / Portfolio.orders. Every write takes the portfolio
 * row lock (ledger.ts) first, the same lock capital and fills take, so the
 * buying-power check and the reservation it leads to are one step: two orders
 * cannot both spend the same cash.
 */
export class OrderService {
  constructor(
    private readonly db: UserClient,
    private readonly portfolios: PortfolioService,
    private readonly stocks: StockService,
    private readonly loaders: OrderLoaders,
    private readonly bus: EventBus,
    private readonly config: OrderConfig,
    private readonly fx: FxRates,
  ) {}

  async place(viewer: Viewer, input: PlaceOrder): Promise<Order> {
    const portfolio = await this.portfolios.get(viewer, input.portfolioId);
    if (input.clientOrderId) {
      const first = await this.byClientOrderId(portfolio.id, input.clientOrderId);
      if (first) return first;
    }
    await this.stocks.assertListable([input.symbol], () => 'symbol');
    const stock = (await this.stocks.findBySymbol(input.symbol))!;
    if (MINOR_UNITS[stock.currency] === undefined) throw new BadUserInputError(`symbol: ${stock.symbol} trades in ${stock.currency}, which portfolios cannot hold`, 'symbol');
    // A fill books the notional in the base currency too: without a rate it could never fill.
    await requireRate(this.fx, stock.currency, portfolio.baseCurrency);
    const [quote] = await this.stocks.quotes([stock.symbol]);
    const lastPrice = quote ? new Decimal(String(quote.price)) : null;
    const needsLastPrice = input.side === 'BUY' && (input.type === 'MARKET' || input.type === 'STOP');
    if (needsLastPrice && !lastPrice) throw new BadUserInputError(`symbol: ${stock.symbol} has no price yet, so a ${input.type} buy cannot be reserved`, 'symbol');
    const now = new Date();
    const reservation = reservationFor({ ...input, currency: stock.currency }, lastPrice ?? new Decimal(0), this.config);

    const result = await this.db.$transaction(async (tx) => {
      const locked = (await lockPortfolios(tx, viewer.accountId, [portfolio.id])).get(portfolio.id)!;
      if (input.clientOrderId) {
        const first = await tx.order.findUnique({ where: { portfolioId_clientOrderId: { portfolioId: portfolio.id, clientOrderId: input.clientOrderId } }, select: { id: true } });
        if (first) return { row: (await readOrder(tx, first.id))!, placed: false };
      }
      if (input.side === 'BUY') {
        const cash = await latestCash(tx, portfolio.id, stock.currency);
        const buyingPower = cash.minus(dec(await reservedCash(tx, portfolio.id, stock.currency)));
        if (buyingPower.lt(reservation)) {
          throw new InsufficientFundsError(
            `Insufficient funds: buying power is ${buyingPower.toFixed(2)} ${stock.currency} and this order needs ${reservation.toFixed(2)} (${input.type === 'MARKET' || input.type === 'STOP' ? `last price plus a ${this.config.marketMargin * 100} % margin` : 'at its limit price'}, with commission)`,
          );
        }
      } else if (!locked.allowShort) {
        const available = (await heldQuantity(tx, portfolio.id, stock.symbol)).minus(dec(await openSellQuantity(tx, portfolio.id, stock.symbol)));
        if (available.lt(input.quantity)) {
          throw new InsufficientPositionError(
            `Insufficient position: ${available.toFixed()} ${stock.symbol} can be sold (held minus open sell orders) and this order sells ${input.quantity.toFixed()} (short positions are not allowed)`,
          );
        }
      }
      const created = await tx.order.create({
        data: {
          portfolioId: portfolio.id,
          clientOrderId: input.clientOrderId,
          stockSymbol: stock.symbol,
          side: input.side,
          type: input.type,
          quantity: input.quantity.toFixed(),
          limitPrice: input.limitPrice?.toFixed() ?? null,
          stopPrice: input.stopPrice?.toFixed() ?? null,
          timeInForce: input.timeInForce,
          currency: stock.currency,
          reservedAmount: reservation.toFixed(),
          arrivalPrice: lastPrice?.toFixed(6) ?? null,
          expiresAt: input.timeInForce === 'DAY' ? dayOrderExpiry(now) : null,
          createdAt: now,
          updatedAt: now,
        },
        select: { id: true },
      });
      const row = (await readOrder(tx, created.id))!;
      await recordTradingEvent(tx, row, 'PLACED', { reserved: reservation.toFixed() });
      return { row, placed: true };
    }, BOOK_TRANSACTION);
    const order = toOrder(result.row);
    if (result.placed) await publishOrder(this.bus, order);
    return order;
  }

  async cancel(viewer: Viewer, id: string): Promise<Order> {
    const existing = await this.owned(viewer, id);
    const row = await this.db.$transaction(async (tx) => {
      await lockPortfolios(tx, viewer.accountId, [existing.portfolioId]);
      // Re-read under the lock: a fill may have finished the order meanwhile.
      const current = (await readOrder(tx, id))!;
      if (current.status !== 'NEW' && current.status !== 'PARTIALLY_FILLED') {
        throw new BadUserInputError(`id: the order is ${current.status} and can no longer be canceled`, 'id');
      }
      // Conditional: the expiry step does not take the portfolio lock.
      const { count } = await tx.order.updateMany({ where: { id, status: { in: ['NEW', 'PARTIALLY_FILLED'] } }, data: { status: 'CANCELED', reservedAmount: '0', updatedAt: new Date() } });
      if (count === 0) throw new BadUserInputError('id: the order is no longer open and cannot be canceled', 'id');
      const canceled = (await readOrder(tx, id))!;
      await recordTradingEvent(tx, canceled, 'CANCELED', { by: 'user' });
      return canceled;
    }, BOOK_TRANSACTION);
    const order = toOrder(row);
    await publishOrder(this.bus, order);
    return order;
  }

  /** Newest first; the cursor is (createdAt, id). Batched: one statement for the pages of any number of portfolios. */
  async page(portfolioId: string, status: string | null, first: number, after: string | null | undefined): Promise<OrderConnection> {
    let before: { createdAt: Date; id: string } | null = null;
    if (after) {
      const [ms, orderId] = decodeCursor(CURSOR_KIND, after).split('|');
      if (!/^\d{1,15}$/.test(ms ?? '') || !/^[0-9a-f-]{36}$/.test(orderId ?? '')) throw new BadUserInputError('after: not a cursor of this connection', 'after');
      before = { createdAt: new Date(Number(ms)), id: orderId! };
    }
    const rows = await this.loaders.orderPages(first + 1, status).load({ portfolioId, before });
    return toPage(rows.map(toOrder), first, (order) => encodeCursor(CURSOR_KIND, `${order.createdAt.getTime()}|${order.id}`));
  }

  /** orderUpdated: the owner's portfolio only (NOT_FOUND otherwise, checked before listening); no initial value. */
  async stream(viewer: Viewer, portfolioId: string, options?: EventStreamOptions): Promise<AsyncIterableIterator<Order>> {
    const portfolio = await this.portfolios.get(viewer, portfolioId);
    return eventStream<Order>(this.bus, [orderTopic(portfolio.id)], async () => [], options);
  }

  private async byClientOrderId(portfolioId: string, clientOrderId: string): Promise<Order | null> {
    const first = await this.db.order.findUnique({ where: { portfolioId_clientOrderId: { portfolioId, clientOrderId } }, select: { id: true } });
    const row = first ? await readOrder(this.db, first.id) : null;
    return row ? toOrder(row) : null;
  }

  /** The viewer's order; another user's id is NOT_FOUND, exactly like an unknown one. */
  private async owned(viewer: Viewer, id: string): Promise<OrderRow> {
    const row = await readOrder(this.db, id);
    if (!row) throw new NotFoundError(`No order ${id}`);
    await this.portfolios.get(viewer, row.portfolioId).catch(() => {
      throw new NotFoundError(`No order ${id}`);
    });
    return row;
  }
}
