import type { EventBus } from '../../realtime/event-bus.js';
import { orderTopic } from '../../realtime/topics.js';
import { announcePortfolioChange } from './portfolio-changes.js';
import { toFloat, toFloatOrNull } from '../../lib/numbers.js';
import type { Tx } from './ledger.js';
import { OrderStatus, OrderType, TimeInForce, type Order } from './order.type.js';
import type { OrderRow } from './order.sql.js';
import { OrderSide } from './portfolio.type.js';

export type TradingEventName = 'PLACED' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    portfolioId: row.portfolioId,
    clientOrderId: row.clientOrderId,
    symbol: row.stockSymbol,
    side: OrderSide[row.side],
    type: OrderType[row.type],
    quantity: toFloat(row.quantity.toString()),
    filledQuantity: toFloat(row.filledQuantity.toString()),
    limitPrice: toFloatOrNull(row.limitPrice?.toString()),
    stopPrice: toFloatOrNull(row.stopPrice?.toString()),
    timeInForce: TimeInForce[row.timeInForce],
    status: OrderStatus[row.status],
    rejectReason: row.rejectReason,
    averageFillPrice: toFloatOrNull(row.averageFillPrice?.toString()),
    currency: row.currency.trim(),
    reservedAmount: toFloat(row.reservedAmount.toString()),
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Appends to the activity log in the caller's transaction: the event commits (or not) with the change it records. */
export async function recordTradingEvent(tx: Tx, row: OrderRow, type: TradingEventName, extra: Record<string, unknown> = {}): Promise<void> {
  await tx.tradingEvent.create({
    data: {
      portfolioId: row.portfolioId,
      orderId: row.id,
      type,
      payload: {
        symbol: row.stockSymbol,
        side: row.side,
        type: row.type,
        quantity: row.quantity.toString(),
        filledQuantity: row.filledQuantity.toString(),
        status: row.status,
        ...(row.rejectReason ? { reason: row.rejectReason } : {}),
        ...extra,
      },
    },
  });
}

/** After commit: tells orderUpdated subscribers in every process. A bus failure must not undo a committed change. */
export async function publishOrder(bus: EventBus, order: Order, onError?: (error: unknown) => void): Promise<void> {
  try {
    await bus.publish(orderTopic(order.portfolioId), order);
    if (order.filledQuantity > 0) await announcePortfolioChange(bus, [order.portfolioId]);
  } catch (error) {
    onError?.(error);
  }
}

/** An Order received from the bus (JSON: dates are strings) as the resolver returns it. */
export function orderFromEvent(event: Order | (Omit<Order, 'createdAt' | 'updatedAt' | 'expiresAt'> & { createdAt: string; updatedAt: string; expiresAt: string | null })): Order {
  return {
    ...event,
    createdAt: new Date(event.createdAt),
    updatedAt: new Date(event.updatedAt),
    expiresAt: event.expiresAt === null ? null : new Date(event.expiresAt),
  };
}
